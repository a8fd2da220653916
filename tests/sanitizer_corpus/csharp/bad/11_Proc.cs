// expect: 4:3
class Program {
    static void Main() {
        System.Console.WriteLine(System.IO.File.ReadAllText("/proc/self/cgroup"));
    }
}
