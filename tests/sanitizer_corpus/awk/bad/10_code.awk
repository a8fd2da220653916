# expect: 2:2
@include "other.awk"
