<?php // expect: 2:3
echo `cat /etc/hostname`;
