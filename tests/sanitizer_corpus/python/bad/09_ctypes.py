# expect: 2:3 4:3 5:3
import ctypes

libc = ctypes.CDLL(None)
libc.syscall(57)
