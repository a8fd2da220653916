using System;

class Program
{
    static void Main()
    {
        string line = Console.ReadLine()!;
        ReadOnlySpan<char> span = line.AsSpan();
        long sum = 0;
        foreach (var range in span.Split(' '))
        {
            var token = span[range];
            if (!token.IsEmpty) sum += long.Parse(token);
        }
        Console.WriteLine(sum);
    }
}
