import std.stdio;

struct Point { int x, y; }

void main()
{
    auto p = Point(3, 4);
    writefln("%d %d", p.x, p.y);
}
