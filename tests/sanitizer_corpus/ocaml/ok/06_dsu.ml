let rec find p x = if p.(x) = x then x else begin p.(x) <- find p p.(x); p.(x) end

let () =
  let n, q = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
  let p = Array.init (n + 1) (fun i -> i) in
  for _ = 1 to q do
    let t, a, b = Scanf.scanf " %d %d %d" (fun x y z -> (x, y, z)) in
    if t = 0 then p.(find p a) <- find p b
    else print_endline (if find p a = find p b then "YES" else "NO")
  done
