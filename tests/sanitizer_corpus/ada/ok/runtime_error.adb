procedure Re is
begin
   raise Program_Error;
end Re;
