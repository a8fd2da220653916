class Point { has $.x; has $.y; }
my $p = Point.new(x => 3, y => 4);
say $p.x * $p.y;
