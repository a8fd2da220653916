using System;
using System.Collections.Generic;

class Program
{
    static void Main()
    {
        var counts = new SortedDictionary<string, int>();
        string? line;
        while ((line = Console.ReadLine()) != null)
        {
            foreach (var w in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                counts[w] = counts.TryGetValue(w, out int c) ? c + 1 : 1;
        }
        foreach (var (word, count) in counts) Console.WriteLine($"{word} {count}");
        Environment.Exit(0);
    }
}
