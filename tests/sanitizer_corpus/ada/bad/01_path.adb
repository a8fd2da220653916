-- expect: 2:3
   Open (F, In_File, "/proc/self/environ");
