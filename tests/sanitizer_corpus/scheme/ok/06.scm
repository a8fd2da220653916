(display (sort (list 5 3 9 1) <))
(newline)
