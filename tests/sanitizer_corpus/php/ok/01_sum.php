<?php
$t = (int) trim(fgets(STDIN));
$out = [];
for ($i = 0; $i < $t; $i++) {
    [$a, $b] = array_map('intval', explode(' ', trim(fgets(STDIN))));
    $out[] = $a + $b;
}
echo implode("\n", $out), "\n";
