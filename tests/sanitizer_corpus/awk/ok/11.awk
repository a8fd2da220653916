NR % 2 == 1 { print NR ": " $0 }
