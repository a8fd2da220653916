# expect: 2:3
BEGIN { s = "/inet/tcp/0/example.org/80"; print "GET /" |& s }
