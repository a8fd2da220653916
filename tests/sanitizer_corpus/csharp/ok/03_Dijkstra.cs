using System;
using System.Collections.Generic;
using System.Linq;

class Program
{
    static void Main()
    {
        var nm = Console.ReadLine()!.Split().Select(int.Parse).ToArray();
        int n = nm[0], m = nm[1];
        var g = Enumerable.Range(0, n + 1).Select(_ => new List<(int to, long w)>()).ToArray();
        for (int i = 0; i < m; i++)
        {
            var e = Console.ReadLine()!.Split().Select(int.Parse).ToArray();
            g[e[0]].Add((e[1], e[2]));
            g[e[1]].Add((e[0], e[2]));
        }
        var dist = Enumerable.Repeat(long.MaxValue, n + 1).ToArray();
        var pq = new PriorityQueue<int, long>();
        dist[1] = 0;
        pq.Enqueue(1, 0);
        while (pq.TryDequeue(out int u, out long d))
        {
            if (d > dist[u]) continue;
            foreach (var (to, w) in g[u])
                if (d + w < dist[to]) { dist[to] = d + w; pq.Enqueue(to, dist[to]); }
        }
        Console.WriteLine(string.Join(" ", dist.Skip(1).Select(x => x == long.MaxValue ? -1 : x)));
    }
}
