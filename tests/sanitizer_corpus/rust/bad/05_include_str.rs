// expect: 2:3
const LEAK: &str = include_str!("/etc/passwd");
fn main() {
    println!("{}", LEAK);
}
