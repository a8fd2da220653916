using System;
using System.Linq;
using System.Text.RegularExpressions;

class Program
{
    static void Main()
    {
        string text = Console.In.ReadToEnd().ToLowerInvariant();
        var words = Regex.Matches(text, "[a-z']+").Select(m => m.Value);
        foreach (var g in words.GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(3))
            Console.WriteLine($"{g.Key} {g.Count()}");
        Console.WriteLine(new string(text.Trim().Reverse().ToArray()));
    }
}
