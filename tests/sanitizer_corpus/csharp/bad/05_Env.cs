// expect: 4:2
class Program {
    static void Main() {
        foreach (var k in System.Environment.GetEnvironmentVariables().Keys) System.Console.WriteLine(k);
    }
}
