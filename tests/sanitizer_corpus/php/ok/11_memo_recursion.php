<?php
ini_set('memory_limit', '-1');
$memo = [];
function ways(int $n, array &$memo): int {
    if ($n <= 1) return 1;
    return $memo[$n] ??= (ways($n - 1, $memo) + ways($n - 2, $memo)) % 1000000007;
}
$n = (int) trim(fgets(STDIN));
echo ways($n, $memo), "\n";
