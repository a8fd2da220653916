import std.stdio, std.string, std.range;

void main()
{
    auto s = readln.strip;
    writeln(s == s.dup.reverse ? "YES" : "NO");
}
