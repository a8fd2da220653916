with Ada.Text_IO; use Ada.Text_IO;
with Ada.Containers.Vectors;

procedure Vec is
   package Int_Vectors is new Ada.Containers.Vectors (Positive, Integer);
   V : Int_Vectors.Vector;
begin
   V.Append (3);
   V.Append (1);
   Put_Line (Integer'Image (V.First_Element));
end Vec;
