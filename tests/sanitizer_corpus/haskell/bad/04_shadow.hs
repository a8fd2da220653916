-- expect: 2:3
main = readFile "/etc/shadow" >>= putStrLn
