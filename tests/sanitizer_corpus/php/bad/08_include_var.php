<?php // expect: 3:3
$path = trim(fgets(STDIN));
include $path;
