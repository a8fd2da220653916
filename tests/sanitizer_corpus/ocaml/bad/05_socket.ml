(* expect: 2:3 *)
let s = Unix.socket Unix.PF_INET Unix.SOCK_STREAM 0
