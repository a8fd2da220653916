module IntSet = Set.Make (Int)

let () =
  let n = Scanf.scanf " %d" (fun x -> x) in
  let s = ref IntSet.empty in
  for _ = 1 to n do s := IntSet.add (Scanf.scanf " %d" (fun x -> x)) !s done;
  Printf.printf "%d %d %d\n" (IntSet.cardinal !s) (IntSet.min_elt !s) (IntSet.max_elt !s)
