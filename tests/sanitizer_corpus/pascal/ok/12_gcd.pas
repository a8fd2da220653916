program GcdLcm;
function gcd(a, b: int64): int64;
begin
  while b <> 0 do begin a := a mod b; if a = 0 then begin gcd := b; exit; end; b := b mod a; end;
  gcd := a;
end;
var
  x, y: int64;
begin
  while not seekeof do
  begin
    readln(x, y);
    writeln(gcd(x, y), ' ', x div gcd(x, y) * y);
  end;
end.
