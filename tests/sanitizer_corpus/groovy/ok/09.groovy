def counts = [:].withDefault { 0 }
System.in.text.split(/\s+/).each { counts[it]++ }
counts.each { k, v -> println "$k $v" }
