<?php
$data = preg_split('/\s+/', trim(file_get_contents('php://stdin')));
$n = (int) array_shift($data);
$arr = array_map('intval', array_slice($data, 0, $n));
sort($arr);
echo implode(' ', $arr), PHP_EOL;
echo array_sum($arr), PHP_EOL;
