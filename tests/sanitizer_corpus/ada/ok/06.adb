with Ada.Text_IO; use Ada.Text_IO;
with Ada.Integer_Text_IO; use Ada.Integer_Text_IO;

procedure Max is
   A, B : Integer;
begin
   Get (A);
   Get (B);
   Put (Integer'Max (A, B), Width => 0);
   New_Line;
end Max;
