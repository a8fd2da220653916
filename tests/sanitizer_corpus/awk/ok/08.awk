{ a[NR] = $1 }
END { n = asort(a); for (i = 1; i <= n; i++) print a[i] }
