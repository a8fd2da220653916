let () =
  let tbl = Hashtbl.create 64 in
  (try
     while true do
       let line = String.lowercase_ascii (input_line stdin) in
       String.split_on_char ' ' line
       |> List.filter (fun w -> w <> "")
       |> List.iter (fun w ->
              Hashtbl.replace tbl w (1 + Option.value ~default:0 (Hashtbl.find_opt tbl w)))
     done
   with End_of_file -> ());
  let items = Hashtbl.fold (fun k v acc -> (k, v) :: acc) tbl [] in
  let sorted = List.sort (fun (a, x) (b, y) -> if x <> y then compare y x else compare a b) items in
  List.iteri (fun i (w, c) -> if i < 3 then Printf.printf "%s %d\n" w c) sorted
