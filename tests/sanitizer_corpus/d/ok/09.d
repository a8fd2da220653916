import std.stdio, std.algorithm, std.array, std.conv, std.string;

void main()
{
    auto xs = stdin.byLine.map!(l => l.strip.to!int).array;
    xs.sort();
    foreach (x; xs) writeln(x);
}
