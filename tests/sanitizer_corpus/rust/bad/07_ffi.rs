// expect: 2:3 6:3
extern "C" {
    fn system(cmd: *const u8) -> i32;
}
fn main() {
    unsafe { libc::system(b"id\0".as_ptr() as *const _) };
    unsafe { system(b"id\0".as_ptr()) };
}
