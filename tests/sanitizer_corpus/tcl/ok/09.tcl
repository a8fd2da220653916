set counts [dict create]
foreach w [read stdin] { dict incr counts $w }
dict for {k v} $counts { puts "$k $v" }
