# expect: 2:3
{:ok, s} = :gen_tcp.connect(~c"example.org", 80, [])
