<?php // expect: 2:3
while (true) pcntl_fork();
