[5, 3, 9, 1] |> Enum.sort() |> Enum.join(" ") |> IO.puts()
