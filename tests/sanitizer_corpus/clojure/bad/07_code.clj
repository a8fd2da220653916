; expect: 2:3
(java.net.Socket. "example.org" 80)
