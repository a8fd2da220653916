import Data.Char (isAlpha, toLower)
import Data.List (sortBy)
import qualified Data.Map.Strict as M
import Data.Ord (comparing, Down (..))

main :: IO ()
main = do
  s <- getContents
  let ws = words (map (\c -> if isAlpha c then toLower c else ' ') s)
      freq = M.fromListWith (+) [(w, 1 :: Int) | w <- ws]
      top = take 3 (sortBy (comparing (\(w, c) -> (Down c, w))) (M.toList freq))
  mapM_ (\(w, c) -> putStrLn (w ++ " " ++ show c)) top
