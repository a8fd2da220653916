let () =
  let n = Scanf.scanf " %d" (fun x -> x) in
  let a = Array.init n (fun _ -> Scanf.scanf " %d" (fun x -> x)) in
  Array.sort compare a;
  print_endline (String.concat " " (Array.to_list (Array.map string_of_int a)));
  Printf.printf "%d\n" (Array.fold_left ( + ) 0 a)
