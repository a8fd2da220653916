<?php
$text = strtolower(stream_get_contents(STDIN));
preg_match_all("/[a-z']+/", $text, $m);
$freq = array_count_values($m[0]);
uksort($freq, function ($x, $y) use ($freq) {
    return $freq[$y] <=> $freq[$x] ?: strcmp($x, $y);
});
foreach (array_slice($freq, 0, 3, true) as $w => $c) {
    echo "$w $c\n";
}
echo strrev(trim($text)), "\n";
