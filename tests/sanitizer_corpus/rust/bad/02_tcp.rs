// expect: 2:2 4:3
use std::net::TcpStream;
fn main() {
    let _s = TcpStream::connect("203.0.113.7:4444");
}
