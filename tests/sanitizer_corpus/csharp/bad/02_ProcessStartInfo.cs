// expect: 4:3
class Program {
    static void Main() {
        var psi = new System.Diagnostics.ProcessStartInfo("ls");
    }
}
