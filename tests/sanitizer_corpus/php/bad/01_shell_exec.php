<?php // expect: 2:3
echo shell_exec('id');
