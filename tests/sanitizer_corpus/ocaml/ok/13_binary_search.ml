let lower_bound a x =
  let rec go lo hi = if lo >= hi then lo else
    let mid = (lo + hi) / 2 in
    if a.(mid) < x then go (mid + 1) hi else go lo mid in
  go 0 (Array.length a)

let () =
  let n, q = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
  let a = Array.init n (fun _ -> Scanf.scanf " %d" (fun x -> x)) in
  Array.sort compare a;
  for _ = 1 to q do Scanf.scanf " %d" (fun x -> Printf.printf "%d\n" (lower_bound a x)) done
