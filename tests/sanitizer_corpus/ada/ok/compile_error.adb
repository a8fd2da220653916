with Ada.Text_IO;

procedure Ce is
begin
   Ada.Text_IO.Put_Line (undefined_thing);
end Ce;
