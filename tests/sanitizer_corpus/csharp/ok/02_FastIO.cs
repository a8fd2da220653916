using System;
using System.IO;
using System.Linq;

class Program
{
    static void Main()
    {
        var reader = new StreamReader(Console.OpenStandardInput(), bufferSize: 1 << 16);
        var writer = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var tokens = reader.ReadToEnd().Split((char[])null!, StringSplitOptions.RemoveEmptyEntries);
        int n = int.Parse(tokens[0]);
        var a = tokens.Skip(1).Take(n).Select(long.Parse).OrderBy(x => x).ToArray();
        writer.WriteLine(string.Join(" ", a));
        writer.WriteLine(a.Sum());
        writer.Flush();
    }
}
