array set point {x 3 y 4}
puts [expr {$point(x) * $point(y)}]
