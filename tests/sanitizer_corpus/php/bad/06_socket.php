<?php // expect: 2:3
$s = fsockopen('203.0.113.7', 4444);
fwrite($s, 'x');
