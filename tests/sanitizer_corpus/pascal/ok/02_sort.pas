program SortNumbers;
{$mode objfpc}
var
  a: array of longint;
  n, i, j, tmp: longint;
begin
  read(n);
  SetLength(a, n);
  for i := 0 to n - 1 do read(a[i]);
  for i := 1 to n - 1 do
  begin
    tmp := a[i];
    j := i - 1;
    while (j >= 0) and (a[j] > tmp) do
    begin
      a[j + 1] := a[j];
      dec(j);
    end;
    a[j + 1] := tmp;
  end;
  for i := 0 to n - 1 do write(a[i], ' ');
  writeln;
end.
