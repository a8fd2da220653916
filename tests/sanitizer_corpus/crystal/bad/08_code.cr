# expect: 2:3
sock = TCPSocket.new("example.org", 80)
