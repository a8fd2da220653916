program FibMatrix;
const
  MD = 1000000007;
type
  TMat = array[0..1, 0..1] of int64;
function mul(const a, b: TMat): TMat;
var i, j, k: integer;
begin
  for i := 0 to 1 do for j := 0 to 1 do
  begin
    mul[i, j] := 0;
    for k := 0 to 1 do mul[i, j] := (mul[i, j] + a[i, k] * b[k, j]) mod MD;
  end;
end;
var
  res, base: TMat;
  e: int64;
begin
  readln(e);
  res[0, 0] := 1; res[0, 1] := 0; res[1, 0] := 0; res[1, 1] := 1;
  base[0, 0] := 1; base[0, 1] := 1; base[1, 0] := 1; base[1, 1] := 0;
  while e > 0 do
  begin
    if odd(e) then res := mul(res, base);
    base := mul(base, base);
    e := e shr 1;
  end;
  writeln(res[0, 1]);
end.
