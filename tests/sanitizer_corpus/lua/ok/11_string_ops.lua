for line in io.lines() do
  local s = line:gsub("%s+", "")
  print(s:reverse(), s:upper(), #s, (s:gsub("[aeiou]", "*")))
end
