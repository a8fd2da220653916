-- expect: 2:3 4:3
import System.Process (readProcess)
main :: IO ()
main = readProcess "id" [] "" >>= putStrLn
