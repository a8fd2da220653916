{ expect: 2:3 }
function system(cmd: PChar): longint; cdecl; external 'c';
begin
  system('id');
end.
