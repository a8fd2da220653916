gets stdin line
puts [tcl::mathfunc::max {*}$line]
