-- expect: 3:2
import System.Environment
main = getEnvironment >>= print
