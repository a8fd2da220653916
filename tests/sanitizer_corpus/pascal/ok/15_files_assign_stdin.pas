program Echo;
var
  f: text;
  line: string;
begin
  assign(f, '');
  reset(f);
  while not eof(f) do
  begin
    readln(f, line);
    writeln(line);
  end;
  close(f);
end.
