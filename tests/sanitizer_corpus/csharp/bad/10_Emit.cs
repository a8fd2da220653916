// expect: 2:3
using System.Reflection.Emit;
class Program {
    static void Main() { }
}
