with Ada.Streams;                use Ada.Streams;
with Ada.Text_IO;                use Ada.Text_IO;
with Ada.Text_IO.Text_Streams;   use Ada.Text_IO.Text_Streams;

procedure Selftest is
   Input  : constant Stream_Access := Stream (Standard_Input);
   Output : constant Stream_Access := Stream (Standard_Output);
   Buffer : Stream_Element_Array (1 .. 65536);
   Last   : Stream_Element_Offset;
begin
   loop
      Read (Input.all, Buffer, Last);
      exit when Last < Buffer'First;
      Write (Output.all, Buffer (Buffer'First .. Last));
   end loop;
end Selftest;
