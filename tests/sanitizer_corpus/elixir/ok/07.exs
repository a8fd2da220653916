for i <- 1..100 do
  cond do
    rem(i, 15) == 0 -> IO.puts("FizzBuzz")
    rem(i, 3) == 0 -> IO.puts("Fizz")
    rem(i, 5) == 0 -> IO.puts("Buzz")
    true -> IO.puts(i)
  end
end
