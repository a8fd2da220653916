fibs :: [Integer]
fibs = 0 : 1 : zipWith (+) fibs (tail fibs)

main :: IO ()
main = do
  n <- readLn
  print (fibs !! n `mod` 1000000007)
