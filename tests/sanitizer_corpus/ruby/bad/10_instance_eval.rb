# expect: 2:2
Object.new.instance_eval("1 + 1")
