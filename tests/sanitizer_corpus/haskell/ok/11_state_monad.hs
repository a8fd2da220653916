import Control.Monad.State

counter :: [Int] -> State (Int, Int) ()
counter = mapM_ (\x -> modify (\(s, c) -> (s + x, c + 1)))

main :: IO ()
main = do
  xs <- map read . words <$> getContents
  let (s, c) = execState (counter xs) (0, 0)
  putStrLn (show s ++ " " ++ show c)
