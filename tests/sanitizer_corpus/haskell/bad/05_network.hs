-- expect: 2:3
import Network.Socket
main = return ()
