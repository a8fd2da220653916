; expect: 2:3
(require :sb-bsd-sockets)
