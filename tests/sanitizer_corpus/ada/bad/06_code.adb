-- expect: 2:3
with GNAT.Sockets;
