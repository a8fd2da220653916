import std.stdio, std.algorithm, std.conv, std.array;

void main()
{
    long s = 0;
    foreach (line; stdin.byLine)
        foreach (w; line.split)
            s += w.to!long;
    writeln(s);
}
