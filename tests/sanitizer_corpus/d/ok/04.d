import std.stdio, std.bigint;

void main()
{
    BigInt f = 1;
    foreach (i; 1 .. 31) f *= i;
    writeln(f);
}
