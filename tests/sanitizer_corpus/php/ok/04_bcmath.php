<?php
$n = (int) trim(fgets(STDIN));
$f = '1';
for ($i = 2; $i <= $n; $i++) {
    $f = bcmul($f, (string) $i);
}
echo $f, "\n";
echo strlen($f), "\n";
