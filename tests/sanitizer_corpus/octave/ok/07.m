disp(sort([5 3 9 1]))
