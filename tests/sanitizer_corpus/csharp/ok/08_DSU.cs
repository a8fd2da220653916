using System;

class Program
{
    static int[] parent = Array.Empty<int>();

    static int Find(int x)
    {
        while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
        return x;
    }

    static void Main()
    {
        var nq = Array.ConvertAll(Console.ReadLine()!.Split(), int.Parse);
        parent = new int[nq[0] + 1];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        var output = new System.Text.StringBuilder();
        for (int k = 0; k < nq[1]; k++)
        {
            var t = Array.ConvertAll(Console.ReadLine()!.Split(), int.Parse);
            if (t[0] == 0) parent[Find(t[1])] = Find(t[2]);
            else output.AppendLine(Find(t[1]) == Find(t[2]) ? "YES" : "NO");
        }
        Console.Write(output);
    }
}
