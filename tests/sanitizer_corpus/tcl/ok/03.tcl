while {[gets stdin line] >= 0} {
    puts [string toupper $line]
}
