using System;

class Program
{
    const long Mod = 1_000_000_007;

    static long[,] Mul(long[,] a, long[,] b)
    {
        var c = new long[2, 2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 2; k++) c[i, j] = (c[i, j] + a[i, k] * b[k, j]) % Mod;
        return c;
    }

    static void Main()
    {
        long e = long.Parse(Console.ReadLine()!);
        long[,] res = { { 1, 0 }, { 0, 1 } }, bas = { { 1, 1 }, { 1, 0 } };
        for (; e > 0; e >>= 1)
        {
            if ((e & 1) == 1) res = Mul(res, bas);
            bas = Mul(bas, bas);
        }
        Console.WriteLine(res[0, 1]);
    }
}
