-- expect: 2:3
.system id
