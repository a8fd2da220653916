my $s = get;
say $s eq $s.flip ?? "YES" !! "NO";
