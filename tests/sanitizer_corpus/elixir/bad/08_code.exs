# expect: 2:2
System.get_env("HOME")
