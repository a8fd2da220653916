gets stdin s
puts [expr {$s eq [string reverse $s] ? "YES" : "NO"}]
