-- expect: 2:2
   pragma Import (C, Run, "system");
