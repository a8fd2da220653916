import std.stdio, std.algorithm, std.range;

void main()
{
    auto primes = iota(2, 100).filter!(n => iota(2, n).all!(d => n % d != 0));
    writeln(primes);
}
