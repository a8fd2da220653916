map = %{a: 1, b: 2}
IO.inspect(Map.put(map, :c, 3))
