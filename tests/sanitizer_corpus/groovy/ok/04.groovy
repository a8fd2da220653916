def fact(n) { n <= 1 ? 1G : n * fact(n - 1) }
println fact(30)
