// expect: 3:3 4:3
fn main() {
    loop {
        unsafe { libc::fork(); }
    }
}
