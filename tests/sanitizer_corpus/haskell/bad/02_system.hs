-- expect: 2:3 3:3
import System.Process
main = callCommand "ls /"
