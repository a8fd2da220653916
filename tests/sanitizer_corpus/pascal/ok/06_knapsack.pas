program Knapsack;
var
  best: array[0..100000] of int64;
  n, cap, i, c, w: longint;
  v: int64;
begin
  readln(n, cap);
  fillchar(best, sizeof(best), 0);
  for i := 1 to n do
  begin
    readln(w, v);
    for c := cap downto w do
      if best[c - w] + v > best[c] then best[c] := best[c - w] + v;
  end;
  writeln(best[cap]);
end.
