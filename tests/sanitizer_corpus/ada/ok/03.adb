with Ada.Text_IO; use Ada.Text_IO;

procedure Fib is
   function F (N : Natural) return Natural is
     (if N < 2 then N else F (N - 1) + F (N - 2));
begin
   Put_Line (Natural'Image (F (25)));
end Fib;
