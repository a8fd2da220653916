let is_pal s =
  let n = String.length s in
  let rec go i = i >= n / 2 || (s.[i] = s.[n - 1 - i] && go (i + 1)) in
  go 0

let () =
  try
    while true do
      let line = String.lowercase_ascii (String.trim (input_line stdin)) in
      print_endline (if is_pal line then "YES" else "NO")
    done
  with End_of_file -> ()
