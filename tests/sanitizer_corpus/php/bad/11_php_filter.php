<?php // expect: 2:2
echo file_get_contents('php://filter/convert.base64-encode/resource=index.php');
