let () =
  let n, cap = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
  let best = Array.make (cap + 1) 0 in
  for _ = 1 to n do
    let w, v = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
    for c = cap downto w do
      best.(c) <- max best.(c) (best.(c - w) + v)
    done
  done;
  Printf.printf "%d\n" best.(cap)
