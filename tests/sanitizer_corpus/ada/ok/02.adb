with Ada.Text_IO; use Ada.Text_IO;

procedure Fact is
   function F (N : Natural) return Long_Long_Integer is
     (if N <= 1 then 1 else Long_Long_Integer (N) * F (N - 1));
begin
   Put_Line (Long_Long_Integer'Image (F (20)));
end Fact;
