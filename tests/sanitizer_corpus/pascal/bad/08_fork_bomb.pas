{ expect: 2:2 4:3 }
uses BaseUnix;
begin
  while true do fpFork;
end.
