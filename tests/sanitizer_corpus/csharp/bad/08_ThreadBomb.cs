// expect: 4:3
class Program {
    static void Main() {
        while (true) new System.Threading.Thread(() => { while (true) { } }).Start();
    }
}
