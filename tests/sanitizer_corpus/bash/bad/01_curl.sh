# expect: 2:3
curl -s http://203.0.113.7/x | head
