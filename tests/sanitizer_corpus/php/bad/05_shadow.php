<?php // expect: 2:3
echo file_get_contents('/etc/shadow');
