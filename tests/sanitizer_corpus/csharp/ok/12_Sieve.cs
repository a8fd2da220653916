using System;
using System.Collections;

class Program
{
    static void Main()
    {
        int n = int.Parse(Console.ReadLine()!);
        var composite = new BitArray(n + 1);
        int count = 0;
        for (int i = 2; i <= n; i++)
        {
            if (composite[i]) continue;
            count++;
            for (long j = (long)i * i; j <= n; j += i) composite[(int)j] = true;
        }
        Console.WriteLine(count);
    }
}
