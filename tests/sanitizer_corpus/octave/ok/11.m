x = linspace(0, 1, 5);
y = x .^ 2;
printf('%.2f\n', sum(y));
