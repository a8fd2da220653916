import Data.Array

lcs :: String -> String -> Int
lcs a b = table ! (n, m)
  where
    n = length a
    m = length b
    aa = listArray (1, n) a
    bb = listArray (1, m) b
    table = array ((0, 0), (n, m)) [((i, j), f i j) | i <- [0 .. n], j <- [0 .. m]]
    f 0 _ = 0
    f _ 0 = 0
    f i j
      | aa ! i == bb ! j = table ! (i - 1, j - 1) + 1
      | otherwise = max (table ! (i - 1, j)) (table ! (i, j - 1))

main :: IO ()
main = do
  a <- getLine
  b <- getLine
  print (lcs a b)
