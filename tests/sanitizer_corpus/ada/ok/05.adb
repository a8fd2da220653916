with Ada.Text_IO; use Ada.Text_IO;

procedure Upper is
   Line : constant String := Get_Line;
begin
   for C of Line loop
      Put (Character'Val (if C in 'a' .. 'z' then Character'Pos (C) - 32 else Character'Pos (C)));
   end loop;
   New_Line;
end Upper;
