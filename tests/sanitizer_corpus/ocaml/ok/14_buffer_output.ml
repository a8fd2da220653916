let () =
  let n = Scanf.scanf " %d" (fun x -> x) in
  let buf = Buffer.create (16 * n) in
  for i = 1 to n do
    Buffer.add_string buf (string_of_int (i * i));
    Buffer.add_char buf '\n'
  done;
  print_string (Buffer.contents buf)
