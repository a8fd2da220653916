IO.gets("") |> String.split() |> Enum.map(&String.to_integer/1) |> Enum.max() |> IO.puts()
