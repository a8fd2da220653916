s = fgetl(stdin);
if strcmp(s, fliplr(s))
  disp('YES')
else
  disp('NO')
end
