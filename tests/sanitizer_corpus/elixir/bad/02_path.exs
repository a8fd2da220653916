# expect: 2:3
File.read!("/etc/passwd")
