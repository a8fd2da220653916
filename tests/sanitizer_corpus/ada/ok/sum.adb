with Ada.Text_IO;
with Ada.Long_Long_Integer_Text_IO;

procedure Sum is
   X, S : Long_Long_Integer := 0;
begin
   while not Ada.Text_IO.End_Of_File loop
      Ada.Long_Long_Integer_Text_IO.Get (X);
      S := S + X;
      --  Skip the blanks and line ends after a number.
      declare
         C   : Character;
         EOL : Boolean;
      begin
         loop
            exit when Ada.Text_IO.End_Of_File;
            Ada.Text_IO.Look_Ahead (C, EOL);
            if EOL then
               Ada.Text_IO.Skip_Line;
            elsif C = ' ' then
               Ada.Text_IO.Get (C);
            else
               exit;
            end if;
         end loop;
      end;
   end loop;
   Ada.Long_Long_Integer_Text_IO.Put (S, Width => 0);
   Ada.Text_IO.New_Line;
end Sum;
