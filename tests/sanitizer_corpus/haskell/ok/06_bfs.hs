import qualified Data.IntMap.Strict as IM
import qualified Data.Sequence as Seq
import Data.Sequence (Seq ((:<|)), (|>))

bfs :: IM.IntMap [Int] -> Int -> IM.IntMap Int
bfs g s = go (Seq.singleton s) (IM.singleton s 0)
  where
    go Seq.Empty dist = dist
    go (u :<| q) dist =
      let next = [v | v <- IM.findWithDefault [] u g, not (IM.member v dist)]
          d = dist IM.! u
          dist' = foldr (\v -> IM.insert v (d + 1)) dist next
       in go (foldl (|>) q next) dist'

main :: IO ()
main = do
  (n : m : rest) <- map read . words <$> getContents
  let es = take m (pairs rest)
      g = IM.fromListWith (++) (concat [[(u, [v]), (v, [u])] | (u, v) <- es])
  print (IM.findWithDefault (-1) n (bfs g 1))
  where
    pairs (a : b : xs) = (a, b) : pairs xs
    pairs _ = []
