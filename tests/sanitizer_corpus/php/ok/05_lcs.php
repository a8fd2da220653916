<?php
$a = trim(fgets(STDIN));
$b = trim(fgets(STDIN));
$la = strlen($a);
$lb = strlen($b);
$prev = array_fill(0, $lb + 1, 0);
for ($i = 1; $i <= $la; $i++) {
    $cur = array_fill(0, $lb + 1, 0);
    for ($j = 1; $j <= $lb; $j++) {
        $cur[$j] = $a[$i - 1] === $b[$j - 1] ? $prev[$j - 1] + 1 : max($prev[$j], $cur[$j - 1]);
    }
    $prev = $cur;
}
echo $prev[$lb], "\n";
