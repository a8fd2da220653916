<?php
[$n, $q] = array_map('intval', explode(' ', trim(fgets(STDIN))));
$a = array_map('intval', explode(' ', trim(fgets(STDIN))));
sort($a);
$out = fopen('php://stdout', 'w');
while ($q--) {
    $x = (int) trim(fgets(STDIN));
    $lo = 0;
    $hi = $n;
    while ($lo < $hi) {
        $mid = intdiv($lo + $hi, 2);
        if ($a[$mid] < $x) $lo = $mid + 1; else $hi = $mid;
    }
    fwrite($out, $lo . "\n");
}
