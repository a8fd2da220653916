proc fact {n} { expr {$n <= 1 ? 1 : $n * [fact [expr {$n - 1}]]} }
puts [fact 20]
