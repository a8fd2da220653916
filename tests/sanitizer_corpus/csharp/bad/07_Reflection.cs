// expect: 4:2
class Program {
    static void Main() {
        var t = System.Type.GetType("System.Diagnostics." + "Process");
        System.Console.WriteLine(t);
    }
}
