(* expect: 2:2 *)
let () = print_endline (Sys.getenv "HOME")
