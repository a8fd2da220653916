; expect: 2:3
(require ffi/unsafe)
