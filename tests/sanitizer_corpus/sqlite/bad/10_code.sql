-- expect: 2:3
.once |cat
