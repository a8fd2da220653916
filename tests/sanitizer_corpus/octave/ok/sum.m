x = fscanf(stdin, '%ld');
printf('%d\n', sum(int64(x)));
