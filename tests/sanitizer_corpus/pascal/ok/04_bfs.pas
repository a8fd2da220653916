program BFS;
const
  MAXN = 100005;
var
  head, nxt, too: array[0..2 * MAXN] of longint;
  dist, q: array[0..MAXN] of longint;
  n, m, i, u, v, cnt, qh, qt, e: longint;

procedure addEdge(x, y: longint);
begin
  inc(cnt); too[cnt] := y; nxt[cnt] := head[x]; head[x] := cnt;
end;

begin
  readln(n, m);
  cnt := 0;
  for i := 1 to m do begin readln(u, v); addEdge(u, v); addEdge(v, u); end;
  for i := 1 to n do dist[i] := -1;
  dist[1] := 0; qh := 1; qt := 1; q[1] := 1;
  while qh <= qt do
  begin
    u := q[qh]; inc(qh);
    e := head[u];
    while e <> 0 do
    begin
      if dist[too[e]] < 0 then begin dist[too[e]] := dist[u] + 1; inc(qt); q[qt] := too[e]; end;
      e := nxt[e];
    end;
  end;
  writeln(dist[n]);
end.
