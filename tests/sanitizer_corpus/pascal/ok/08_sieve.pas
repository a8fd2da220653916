program Sieve;
var
  composite: array of boolean;
  n, i, j, count: longint;
begin
  readln(n);
  SetLength(composite, n + 1);
  count := 0;
  for i := 2 to n do
    if not composite[i] then
    begin
      inc(count);
      j := i * i;
      while j <= n do begin composite[j] := true; j := j + i; end;
    end;
  writeln(count);
end.
