IO.stream(:stdio, :line) |> Enum.each(fn line -> IO.write(String.upcase(line)) end)
