program LCS;
uses math;
var
  a, b: ansistring;
  dp: array of array of longint;
  i, j: longint;
begin
  readln(a);
  readln(b);
  SetLength(dp, length(a) + 1, length(b) + 1);
  for i := 1 to length(a) do
    for j := 1 to length(b) do
      if a[i] = b[j] then dp[i][j] := dp[i - 1][j - 1] + 1
      else dp[i][j] := max(dp[i - 1][j], dp[i][j - 1]);
  writeln(dp[length(a)][length(b)]);
end.
