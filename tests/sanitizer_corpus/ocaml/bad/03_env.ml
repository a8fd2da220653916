(* expect: 2:2 *)
let () = Array.iter print_endline (Unix.environment ())
