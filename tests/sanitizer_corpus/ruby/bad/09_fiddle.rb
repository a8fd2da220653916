# expect: 2:3 3:3
require "fiddle"
libc = Fiddle.dlopen(nil)
p libc
