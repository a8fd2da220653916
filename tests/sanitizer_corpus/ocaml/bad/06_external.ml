(* expect: 2:3 *)
external evil : int -> int = "caml_evil"
let () = print_int (evil 1)
