using System;
using System.Text;

class Program
{
    static void Main()
    {
        int t = int.Parse(Console.ReadLine()!);
        var sb = new StringBuilder();
        for (int i = 0; i < t; i++)
        {
            var parts = Console.ReadLine()!.Split(' ');
            sb.AppendLine((long.Parse(parts[0]) + long.Parse(parts[1])).ToString());
        }
        Console.Write(sb);
    }
}
