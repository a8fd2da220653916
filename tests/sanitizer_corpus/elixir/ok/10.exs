s = IO.gets("") |> String.trim()
IO.puts(if s == String.reverse(s), do: "YES", else: "NO")
