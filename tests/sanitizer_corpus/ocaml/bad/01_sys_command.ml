(* expect: 2:3 *)
let () = ignore (Sys.command "id")
