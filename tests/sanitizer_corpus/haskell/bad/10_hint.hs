-- expect: 2:3
import Language.Haskell.Interpreter
main = return ()
