classify :: Int -> String
classify n
  | n < 0 = "negative"
  | n == 0 = "zero"
  | even n = "even"
  | otherwise = "odd"

main :: IO ()
main = getContents >>= mapM_ (putStrLn . classify . read) . lines
