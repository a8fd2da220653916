with Ada.Text_IO; use Ada.Text_IO;

procedure Arr is
   type Vec is array (1 .. 5) of Integer;
   V : constant Vec := (5, 3, 9, 1, 7);
   M : Integer := V (1);
begin
   for X of V loop
      M := Integer'Max (M, X);
   end loop;
   Put_Line (Integer'Image (M));
end Arr;
