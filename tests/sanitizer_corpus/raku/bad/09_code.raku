# expect: 2:3
use NativeCall;
