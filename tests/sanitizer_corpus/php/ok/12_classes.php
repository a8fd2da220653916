<?php
final class Point {
    public function __construct(public int $x, public int $y) {}
    public function dist2(): int { return $this->x * $this->x + $this->y * $this->y; }
}
$n = (int) fgets(STDIN);
$pts = [];
for ($i = 0; $i < $n; $i++) {
    [$x, $y] = array_map('intval', explode(' ', trim(fgets(STDIN))));
    $pts[] = new Point($x, $y);
}
usort($pts, fn(Point $a, Point $b) => $a->dist2() <=> $b->dist2());
foreach ($pts as $p) echo $p->x, ' ', $p->y, "\n";
