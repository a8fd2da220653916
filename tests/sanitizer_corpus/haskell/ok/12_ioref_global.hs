import Data.IORef
import System.IO.Unsafe (unsafePerformIO)

{-# NOINLINE calls #-}
calls :: IORef Int
calls = unsafePerformIO (newIORef 0)

collatz :: Int -> IO Int
collatz 1 = return 0
collatz n = do
  modifyIORef' calls (+ 1)
  (+ 1) <$> collatz (if even n then n `div` 2 else 3 * n + 1)

main :: IO ()
main = do
  n <- readLn
  steps <- collatz n
  c <- readIORef calls
  print (steps, c)
