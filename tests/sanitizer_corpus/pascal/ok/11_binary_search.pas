program BinSearch;
var
  a: array[1..200000] of longint;
  n, q, x, lo, hi, mid, i: longint;
begin
  readln(n, q);
  for i := 1 to n do read(a[i]);
  for i := 1 to q do
  begin
    read(x);
    lo := 1; hi := n + 1;
    while lo < hi do
    begin
      mid := (lo + hi) div 2;
      if a[mid] < x then lo := mid + 1 else hi := mid;
    end;
    writeln(lo - 1);
  end;
end.
