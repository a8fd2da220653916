<?php
function find(array &$p, int $x): int {
    while ($p[$x] !== $x) {
        $p[$x] = $p[$p[$x]];
        $x = $p[$x];
    }
    return $x;
}

[$n, $q] = array_map('intval', explode(' ', trim(fgets(STDIN))));
$p = range(0, $n);
$out = [];
while ($q--) {
    [$t, $a, $b] = array_map('intval', explode(' ', trim(fgets(STDIN))));
    if ($t === 0) {
        $p[find($p, $a)] = find($p, $b);
    } else {
        $out[] = find($p, $a) === find($p, $b) ? 'YES' : 'NO';
    }
}
echo implode("\n", $out), "\n";
