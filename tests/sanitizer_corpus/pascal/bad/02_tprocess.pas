{ expect: 2:2 5:3 }
uses Process;
var s: ansistring;
begin
  RunCommand('/bin/sh', ['-c', 'id'], s);
  writeln(s);
end.
