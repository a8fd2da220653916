set s 0
foreach w [regexp -all -inline {\S+} [read stdin]] {
    incr s $w
}
puts $s
