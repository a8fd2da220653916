let () =
  let n, m = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
  let adj = Array.make (n + 1) [] in
  for _ = 1 to m do
    let u, v = Scanf.scanf " %d %d" (fun a b -> (a, b)) in
    adj.(u) <- v :: adj.(u);
    adj.(v) <- u :: adj.(v)
  done;
  let dist = Array.make (n + 1) (-1) in
  let q = Queue.create () in
  dist.(1) <- 0;
  Queue.add 1 q;
  while not (Queue.is_empty q) do
    let u = Queue.pop q in
    List.iter (fun v -> if dist.(v) < 0 then (dist.(v) <- dist.(u) + 1; Queue.add v q)) adj.(u)
  done;
  Printf.printf "%d\n" dist.(n)
