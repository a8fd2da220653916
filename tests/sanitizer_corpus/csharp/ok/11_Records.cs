using System;
using System.Linq;

record Interval(int Start, int End);

class Program
{
    static void Main()
    {
        int n = int.Parse(Console.ReadLine()!);
        var list = Enumerable.Range(0, n)
            .Select(_ => Console.ReadLine()!.Split().Select(int.Parse).ToArray())
            .Select(a => new Interval(a[0], a[1]))
            .OrderBy(i => i.Start).ThenBy(i => i.End).ToList();
        foreach (var iv in list) Console.WriteLine($"{iv.Start} {iv.End}");
    }
}
