using System;
using System.Collections.Generic;

class Program
{
    static void Main()
    {
        var rc = Console.ReadLine()!.Split();
        int r = int.Parse(rc[0]), c = int.Parse(rc[1]);
        var grid = new string[r];
        for (int i = 0; i < r; i++) grid[i] = Console.ReadLine()!;
        var dist = new int[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) dist[i, j] = -1;
        var q = new Queue<(int, int)>();
        q.Enqueue((0, 0));
        dist[0, 0] = 0;
        int[] dx = { 1, -1, 0, 0 }, dy = { 0, 0, 1, -1 };
        while (q.Count > 0)
        {
            var (x, y) = q.Dequeue();
            for (int d = 0; d < 4; d++)
            {
                int nx = x + dx[d], ny = y + dy[d];
                if (nx < 0 || ny < 0 || nx >= r || ny >= c || grid[nx][ny] == '#' || dist[nx, ny] >= 0) continue;
                dist[nx, ny] = dist[x, y] + 1;
                q.Enqueue((nx, ny));
            }
        }
        Console.WriteLine(dist[r - 1, c - 1]);
    }
}
