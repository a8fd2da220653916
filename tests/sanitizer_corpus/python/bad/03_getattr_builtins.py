# expect: 2:3 3:2
f = getattr(__builtins__, 'ev' + 'al')
print(f("__imp" + "ort__('subprocess').getoutput('id')"))
