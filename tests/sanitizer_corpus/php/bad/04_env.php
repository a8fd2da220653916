<?php // expect: 2:2 3:2
print_r($_ENV);
echo getenv('HOME');
