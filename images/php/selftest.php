<?php
fwrite(STDOUT, stream_get_contents(STDIN));
