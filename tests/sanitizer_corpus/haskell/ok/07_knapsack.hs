import Data.Array.ST
import Data.Array.Unboxed
import Control.Monad
import Control.Monad.ST

knap :: Int -> [(Int, Int)] -> Int
knap cap items = best ! cap
  where
    best :: UArray Int Int
    best = runSTUArray $ do
      arr <- newArray (0, cap) 0
      forM_ items $ \(w, v) ->
        forM_ [cap, cap - 1 .. w] $ \c -> do
          a <- readArray arr c
          b <- readArray arr (c - w)
          writeArray arr c (max a (b + v))
      return arr

main :: IO ()
main = do
  (n : cap : rest) <- map read . words <$> getContents
  print (knap cap (take n (pairs rest)))
  where
    pairs (a : b : xs) = (a, b) : pairs xs
    pairs _ = []
