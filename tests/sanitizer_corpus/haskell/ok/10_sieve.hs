import Data.Array.Unboxed

sieve :: Int -> UArray Int Bool
sieve n = accumArray (\_ b -> b) True (2, n) [(m, False) | i <- [2 .. isqrt n], m <- [i * i, i * i + i .. n]]
  where isqrt = floor . sqrt . fromIntegral

main :: IO ()
main = do
  n <- readLn
  print (length (filter id (elems (sieve n))))
