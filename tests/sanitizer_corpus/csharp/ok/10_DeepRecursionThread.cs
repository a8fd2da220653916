using System;
using System.Collections.Generic;
using System.Threading;

class Program
{
    static List<int>[] children = Array.Empty<List<int>>();

    static int Depth(int u)
    {
        int best = 0;
        foreach (var v in children[u]) best = Math.Max(best, Depth(v));
        return best + 1;
    }

    static void Main()
    {
        // Deep recursion: run on a thread with a 256 MiB stack.
        var t = new Thread(() =>
        {
            int n = int.Parse(Console.ReadLine()!);
            children = new List<int>[n];
            for (int i = 0; i < n; i++) children[i] = new List<int>();
            var p = Console.ReadLine()!.Split();
            for (int i = 1; i < n; i++) children[int.Parse(p[i - 1]) - 1].Add(i);
            Console.WriteLine(Depth(0));
        }, 256 << 20);
        t.Start();
        t.Join();
    }
}
