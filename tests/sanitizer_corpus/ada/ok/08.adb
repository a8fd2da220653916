with Ada.Text_IO; use Ada.Text_IO;

procedure Points is
   type Point is record
      X, Y : Integer;
   end record;
   P : constant Point := (X => 3, Y => 4);
begin
   Put_Line (Integer'Image (P.X * P.Y));
end Points;
