{ expect: 2:2 4:3 }
uses Sockets;
begin
  fpSocket(AF_INET, SOCK_STREAM, 0);
end.
