# expect: 2:3
@load "filefuncs"
