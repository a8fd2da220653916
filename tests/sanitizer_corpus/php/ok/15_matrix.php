<?php
const MOD = 1000000007;
function mul(array $a, array $b): array {
    $c = [[0, 0], [0, 0]];
    for ($i = 0; $i < 2; $i++)
        for ($j = 0; $j < 2; $j++)
            for ($k = 0; $k < 2; $k++)
                $c[$i][$j] = ($c[$i][$j] + $a[$i][$k] * $b[$k][$j]) % MOD;
    return $c;
}
$e = (int) trim(fgets(STDIN));
$res = [[1, 0], [0, 1]];
$base = [[1, 1], [1, 0]];
for (; $e > 0; $e >>= 1) {
    if ($e & 1) $res = mul($res, $base);
    $base = mul($base, $base);
}
echo $res[0][1], "\n";
