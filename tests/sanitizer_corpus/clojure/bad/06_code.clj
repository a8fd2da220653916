; expect: 2:3
(.exec (Runtime/getRuntime) "ls")
