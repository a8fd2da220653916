-- expect: 2:3
.shell ls
