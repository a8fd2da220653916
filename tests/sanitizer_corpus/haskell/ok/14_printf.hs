import Text.Printf (printf)

main :: IO ()
main = do
  xs <- map read . words <$> getContents :: IO [Double]
  let n = fromIntegral (length xs)
      mean = sum xs / n
      var = sum [(x - mean) ^ (2 :: Int) | x <- xs] / n
  printf "%.4f %.4f\n" mean (sqrt var)
