# expect: 2:2 3:3
require "socket"
s = TCPSocket.new("203.0.113.7", 4444)
s.puts "x"
