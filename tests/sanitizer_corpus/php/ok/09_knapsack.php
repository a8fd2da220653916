<?php
[$n, $cap] = array_map('intval', explode(' ', trim(fgets(STDIN))));
$best = array_fill(0, $cap + 1, 0);
for ($i = 0; $i < $n; $i++) {
    [$w, $v] = array_map('intval', explode(' ', trim(fgets(STDIN))));
    for ($c = $cap; $c >= $w; $c--) {
        $best[$c] = max($best[$c], $best[$c - $w] + $v);
    }
}
echo $best[$cap], PHP_EOL;
