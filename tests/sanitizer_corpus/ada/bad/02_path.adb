-- expect: 2:3
   Open (F, In_File, "/etc/passwd");
