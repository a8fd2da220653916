# expect: 2:3
let r = execProcess("ls")
