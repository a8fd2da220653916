; expect: 2:3
(sb-alien:alien-funcall (sb-alien:extern-alien "system" (function int c-string)) "id")
