{ expect: 4:3 }
var f: text; s: string;
begin
  assign(f, '/etc/shadow'); reset(f);
  readln(f, s); writeln(s);
end.
