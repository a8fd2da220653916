{ expect: 3:3 }
begin
  asm
    mov eax, 1
  end;
end.
