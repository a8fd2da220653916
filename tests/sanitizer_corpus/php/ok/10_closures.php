<?php
$cmp = fn(array $x, array $y): int => $x[1] <=> $y[1] ?: $x[0] <=> $y[0];
$rows = [];
while (($line = fgets(STDIN)) !== false) {
    $line = trim($line);
    if ($line === '') continue;
    [$name, $age] = explode(' ', $line);
    $rows[] = [$name, (int) $age];
}
usort($rows, $cmp);
foreach ($rows as [$name, $age]) {
    echo "$name $age\n";
}
