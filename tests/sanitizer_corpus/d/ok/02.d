import std.stdio, std.algorithm, std.array, std.conv;

void main()
{
    auto xs = readln.split.map!(to!int).array;
    writeln(xs.maxElement);
}
