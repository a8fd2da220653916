using System;

class Program
{
    static void Main()
    {
        var first = Array.ConvertAll(Console.ReadLine()!.Split(), int.Parse);
        int n = first[0], cap = first[1];
        var best = new long[cap + 1];
        for (int i = 0; i < n; i++)
        {
            var wv = Array.ConvertAll(Console.ReadLine()!.Split(), int.Parse);
            for (int c = cap; c >= wv[0]; c--) best[c] = Math.Max(best[c], best[c - wv[0]] + wv[1]);
        }
        Console.WriteLine(best[cap]);
    }
}
