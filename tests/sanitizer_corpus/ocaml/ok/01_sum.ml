let () =
  let t = Scanf.scanf " %d" (fun x -> x) in
  for _ = 1 to t do
    let a, b = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
    Printf.printf "%d\n" (a + b)
  done
