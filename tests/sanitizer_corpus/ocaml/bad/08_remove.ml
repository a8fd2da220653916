(* expect: 2:2 *)
let () = Sys.remove "../output/testCaseLog"
