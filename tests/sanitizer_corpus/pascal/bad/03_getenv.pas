{ expect: 3:2 }
begin
  writeln(GetEnvironmentVariable('HOME'));
end.
