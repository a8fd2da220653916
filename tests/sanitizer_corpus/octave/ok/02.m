x = str2num(fgetl(stdin));
printf('%d\n', max(x));
