(* expect: 2:3 *)
let () = while true do ignore (Unix.fork ()) done
