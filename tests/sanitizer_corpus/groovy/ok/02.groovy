def xs = System.in.newReader().readLine().split(" ").collect { it as int }
println xs.max()
