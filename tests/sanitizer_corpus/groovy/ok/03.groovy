System.in.eachLine { line -> println line.toUpperCase() }
