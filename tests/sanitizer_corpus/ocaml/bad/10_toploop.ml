(* expect: 2:3 *)
let () = ignore (Toploop.execute_phrase true Format.std_formatter (Parse.toplevel_phrase (Lexing.from_string "1;;")))
