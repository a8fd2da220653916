-- expect: 2:3
.output |sh
