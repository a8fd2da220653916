let memo = Hashtbl.create 1024

let rec fib n =
  if n < 2 then n
  else
    match Hashtbl.find_opt memo n with
    | Some v -> v
    | None ->
        let v = (fib (n - 1) + fib (n - 2)) mod 1_000_000_007 in
        Hashtbl.add memo n v;
        v

let () = Scanf.scanf " %d" (fun n -> Printf.printf "%d\n" (fib n))
