main :: IO ()
main = do
  t <- readLn :: IO Int
  mapM_ (\_ -> do
    [a, b] <- map read . words <$> getLine :: IO [Integer]
    print (a + b)) [1 .. t]
