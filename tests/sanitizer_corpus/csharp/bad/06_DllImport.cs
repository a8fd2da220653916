// expect: 4:3
using System.Runtime.InteropServices;
class Program {
    [DllImport("libc")] static extern int system(string cmd);
    static void Main() { system("id"); }
}
