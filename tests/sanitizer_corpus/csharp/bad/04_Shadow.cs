// expect: 4:3
class Program {
    static void Main() {
        System.Console.WriteLine(System.IO.File.ReadAllText("/etc/shadow"));
    }
}
