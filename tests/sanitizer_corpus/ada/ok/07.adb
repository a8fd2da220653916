with Ada.Text_IO; use Ada.Text_IO;

procedure Gcd is
   A : Natural := 48;
   B : Natural := 18;
   T : Natural;
begin
   while B /= 0 loop
      T := A mod B;
      A := B;
      B := T;
   end loop;
   Put_Line (Natural'Image (A));
end Gcd;
