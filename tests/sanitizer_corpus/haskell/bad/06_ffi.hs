-- expect: 3:3
import Foreign.C.String
foreign import ccall "system" c_system :: CString -> IO Int
main = withCString "id" c_system >>= print
