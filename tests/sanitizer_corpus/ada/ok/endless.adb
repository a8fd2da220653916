procedure Endless is
begin
   loop
      null;
   end loop;
end Endless;
