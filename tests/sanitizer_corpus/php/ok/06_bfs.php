<?php
[$n, $m] = array_map('intval', explode(' ', trim(fgets(STDIN))));
$adj = array_fill(1, $n, []);
for ($i = 0; $i < $m; $i++) {
    [$u, $v] = array_map('intval', explode(' ', trim(fgets(STDIN))));
    $adj[$u][] = $v;
    $adj[$v][] = $u;
}
$dist = array_fill(1, $n, -1);
$dist[1] = 0;
$queue = new SplQueue();
$queue->enqueue(1);
while (!$queue->isEmpty()) {
    $u = $queue->dequeue();
    foreach ($adj[$u] as $v) {
        if ($dist[$v] < 0) {
            $dist[$v] = $dist[$u] + 1;
            $queue->enqueue($v);
        }
    }
}
echo $dist[$n], "\n";
