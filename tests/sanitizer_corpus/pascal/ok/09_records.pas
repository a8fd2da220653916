program Records;
type
  TPerson = record
    name: string[30];
    age: integer;
  end;
var
  p: array[1..1000] of TPerson;
  n, i, j: integer;
  t: TPerson;
begin
  readln(n);
  for i := 1 to n do readln(p[i].name, p[i].age);
  for i := 1 to n - 1 do
    for j := 1 to n - i do
      if p[j].age > p[j + 1].age then begin t := p[j]; p[j] := p[j + 1]; p[j + 1] := t; end;
  for i := 1 to n do writeln(p[i].name, ' ', p[i].age);
end.
