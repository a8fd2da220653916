(* expect: 2:3 *)
let ic = open_in "/etc/shadow"
let () = print_endline (input_line ic)
