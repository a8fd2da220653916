-- expect: 2:2
   Ada.Directories.Delete_File ("x");
