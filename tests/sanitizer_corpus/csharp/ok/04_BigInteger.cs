using System;
using System.Numerics;

class Program
{
    static void Main()
    {
        int n = int.Parse(Console.ReadLine()!);
        BigInteger f = BigInteger.One;
        for (int i = 2; i <= n; i++) f *= i;
        Console.WriteLine(f);
        Console.WriteLine(BigInteger.ModPow(2, n, 1_000_000_007));
    }
}
