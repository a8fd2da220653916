def s = System.in.newReader().readLine()
println(s == s.reverse() ? "YES" : "NO")
