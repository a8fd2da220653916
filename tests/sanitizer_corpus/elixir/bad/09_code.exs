# expect: 2:3
:erlang.load_nif(~c"./evil", 0)
