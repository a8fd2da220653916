import Data.List (sort)

main :: IO ()
main = do
  (n : xs) <- map read . words <$> getContents :: IO [Int]
  let ys = sort (take n xs)
  putStrLn (unwords (map show ys))
  print (sum ys)
