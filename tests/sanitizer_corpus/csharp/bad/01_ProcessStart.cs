// expect: 5:3
using System.Diagnostics;
class Program {
    static void Main() {
        Process.Start("sh", "-c id");
    }
}
