type shape = Circle of float | Rect of float * float

let area = function Circle r -> Float.pi *. r *. r | Rect (w, h) -> w *. h

let () =
  let n = Scanf.scanf " %d" (fun x -> x) in
  let total = ref 0. in
  for _ = 1 to n do
    let s = Scanf.scanf " %s" (fun s -> s) in
    let shape =
      if s = "c" then Scanf.scanf " %f" (fun r -> Circle r)
      else Scanf.scanf " %f %f" (fun w h -> Rect (w, h))
    in
    total := !total +. area shape
  done;
  Printf.printf "%.3f\n" !total
