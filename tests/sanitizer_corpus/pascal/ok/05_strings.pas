program Palindromes;
uses sysutils;
var
  s, r: string;
  i: integer;
begin
  while not eof do
  begin
    readln(s);
    s := LowerCase(Trim(s));
    r := '';
    for i := length(s) downto 1 do r := r + s[i];
    if r = s then writeln('YES') else writeln('NO');
  end;
end.
