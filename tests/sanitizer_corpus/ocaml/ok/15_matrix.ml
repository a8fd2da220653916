let md = 1_000_000_007

let mul a b =
  Array.init 2 (fun i -> Array.init 2 (fun j ->
    (a.(i).(0) * b.(0).(j) + a.(i).(1) * b.(1).(j)) mod md))

let () =
  let e = ref (Scanf.scanf " %d" (fun x -> x)) in
  let res = ref [| [| 1; 0 |]; [| 0; 1 |] |] and base = ref [| [| 1; 1 |]; [| 1; 0 |] |] in
  while !e > 0 do
    if !e land 1 = 1 then res := mul !res !base;
    base := mul !base !base;
    e := !e lsr 1
  done;
  Printf.printf "%d\n" !res.(0).(1)
