# expect: 2:2
File.read!("../secret.txt")
