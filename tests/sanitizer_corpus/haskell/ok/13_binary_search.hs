import qualified Data.Vector.Unboxed as V
import Data.List (sort)

lowerBound :: V.Vector Int -> Int -> Int
lowerBound v x = go 0 (V.length v)
  where
    go lo hi
      | lo >= hi = lo
      | v V.! mid < x = go (mid + 1) hi
      | otherwise = go lo mid
      where mid = (lo + hi) `div` 2

main :: IO ()
main = do
  (n : q : rest) <- map read . words <$> getContents
  let v = V.fromList (sort (take n rest))
  mapM_ (print . lowerBound v) (take q (drop n rest))
