puts [lsort -integer {5 3 9 1}]
