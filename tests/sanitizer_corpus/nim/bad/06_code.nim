# expect: 2:3
const out = staticExec("cat /flag")
