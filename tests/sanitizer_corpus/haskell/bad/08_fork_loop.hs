-- expect: 2:3 4:3
import System.Posix.Process
import Control.Monad
main = forever $ forkProcess (return ())
