puts [5, 3, 9, 1].sort.join(" ")
