-- expect: 2:2
   Open (F, In_File, "../secret.txt");
