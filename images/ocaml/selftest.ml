let () =
  let buf = Bytes.create 65536 in
  let rec loop () =
    let n = input stdin buf 0 (Bytes.length buf) in
    if n > 0 then begin
      output stdout buf 0 n;
      loop ()
    end
  in
  set_binary_mode_in stdin true;
  set_binary_mode_out stdout true;
  loop ();
  flush stdout
