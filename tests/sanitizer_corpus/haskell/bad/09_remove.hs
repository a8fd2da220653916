-- expect: 3:2
import System.Directory
main = removeFile "../output/testCaseLog"
