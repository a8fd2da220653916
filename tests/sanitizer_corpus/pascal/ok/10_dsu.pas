program DSU;
var
  parent: array[0..200005] of longint;
  n, q, t, a, b, i: longint;

function find(x: longint): longint;
begin
  if parent[x] <> x then parent[x] := find(parent[x]);
  find := parent[x];
end;

begin
  readln(n, q);
  for i := 1 to n do parent[i] := i;
  for i := 1 to q do
  begin
    readln(t, a, b);
    if t = 0 then parent[find(a)] := find(b)
    else if find(a) = find(b) then writeln('YES') else writeln('NO');
  end;
end.
