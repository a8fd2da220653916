; expect: 2:3
(System/loadLibrary "evil")
