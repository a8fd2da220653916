<?php // expect: 2:3
eval(base64_decode('c3lzdGVtKCJpZCIpOw=='));
