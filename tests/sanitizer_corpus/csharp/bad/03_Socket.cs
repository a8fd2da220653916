// expect: 2:2 5:3
using System.Net.Sockets;
class Program {
    static void Main() {
        var c = new TcpClient("203.0.113.7", 4444);
    }
}
