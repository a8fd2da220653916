# expect: 2:3
import ctypes
