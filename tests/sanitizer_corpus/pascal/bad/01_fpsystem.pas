{ expect: 2:2 4:3 }
uses Unix;
begin
  fpSystem('id');
end.
