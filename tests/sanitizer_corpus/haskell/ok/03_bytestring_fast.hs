import qualified Data.ByteString.Char8 as B
import Data.Maybe (mapMaybe)

readInts :: B.ByteString -> [Int]
readInts = map fst . mapMaybe B.readInt . B.words

main :: IO ()
main = do
  (n : xs) <- readInts <$> B.getContents
  print (sum (take n xs))
