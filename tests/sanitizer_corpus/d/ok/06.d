import std.stdio, std.numeric, std.conv, std.string;

void main()
{
    auto p = readln.split;
    writeln(gcd(p[0].to!long, p[1].to!long));
}
