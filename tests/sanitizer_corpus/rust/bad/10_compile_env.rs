// expect: 3:2
fn main() {
    println!("{}", env!("HOME"));
}
