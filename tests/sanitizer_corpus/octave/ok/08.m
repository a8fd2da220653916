A = [1 2; 3 4];
B = A * A';
disp(B)
