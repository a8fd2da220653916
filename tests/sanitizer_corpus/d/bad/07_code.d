// expect: 2:3
auto sock = new TcpSocket();
