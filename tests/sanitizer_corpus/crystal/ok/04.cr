def fact(n : Int64) : Int64
  n <= 1 ? 1_i64 : n * fact(n - 1)
end

puts fact(20_i64)
