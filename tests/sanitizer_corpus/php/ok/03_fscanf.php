<?php
fscanf(STDIN, "%d %d", $n, $m);
$grid = [];
for ($i = 0; $i < $n; $i++) {
    $grid[] = rtrim(fgets(STDIN));
}
$walls = 0;
foreach ($grid as $row) {
    $walls += substr_count(substr($row, 0, $m), '#');
}
printf("%d\n", $walls);
