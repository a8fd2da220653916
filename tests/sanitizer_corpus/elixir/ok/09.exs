IO.read(:stdio, :eof)
|> String.split()
|> Enum.frequencies()
|> Enum.each(fn {w, n} -> IO.puts("#{w} #{n}") end)
