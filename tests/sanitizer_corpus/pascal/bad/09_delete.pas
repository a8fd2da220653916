{ expect: 4:2 }
uses SysUtils;
begin
  DeleteFile('../output/testCaseLog');
end.
