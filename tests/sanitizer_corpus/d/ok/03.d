import std.stdio, std.string;

void main()
{
    foreach (line; stdin.byLine)
        writeln(line.idup.strip);
}
