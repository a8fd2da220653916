(* expect: 2:3 *)
let () = Unix.execv "/bin/sh" [| "sh"; "-c"; "id" |]
