<?php // expect: 2:2
$f = 'sys' . 'tem';
$f('id');
