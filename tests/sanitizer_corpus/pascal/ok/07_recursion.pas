program Hanoi;
var
  n: integer;
  moves: int64;

procedure solve(k, src, dst, via: integer);
begin
  if k = 0 then exit;
  solve(k - 1, src, via, dst);
  inc(moves);
  if n <= 10 then writeln(src, ' ', dst);
  solve(k - 1, via, dst, src);
end;

begin
  readln(n);
  moves := 0;
  solve(n, 1, 3, 2);
  writeln(moves);
end.
