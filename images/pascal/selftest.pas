program selftest;
var
  line: AnsiString;
begin
  while not eof(input) do
  begin
    readln(line);
    writeln(line);
  end;
end.
