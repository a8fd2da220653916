// expect: 3:2
fn main() {
    for (k, v) in std::env::vars() {
        println!("{}={}", k, v);
    }
}
