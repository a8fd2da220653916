program Vowels;
var
  s: string;
  i, vowels, digits: integer;
begin
  readln(s);
  vowels := 0; digits := 0;
  for i := 1 to length(s) do
    case upcase(s[i]) of
      'A', 'E', 'I', 'O', 'U': inc(vowels);
      '0'..'9': inc(digits);
    end;
  writeln(vowels, ' ', digits);
end.
