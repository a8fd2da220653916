// expect: 3:2
fn main() {
    let _ = std::fs::remove_dir_all("../output");
}
