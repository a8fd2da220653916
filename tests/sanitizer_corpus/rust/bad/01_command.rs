// expect: 2:3 4:3
use std::process::Command;
fn main() {
    let out = Command::new("sh").arg("-c").arg("id").output().unwrap();
    println!("{}", String::from_utf8_lossy(&out.stdout));
}
