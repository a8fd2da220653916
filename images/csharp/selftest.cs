using System;
using System.IO;

class Program
{
    static void Main()
    {
        using (Stream input = Console.OpenStandardInput())
        using (Stream output = Console.OpenStandardOutput())
        {
            input.CopyTo(output);
        }
    }
}
