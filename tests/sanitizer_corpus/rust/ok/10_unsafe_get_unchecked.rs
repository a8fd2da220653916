use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let a: Vec<u64> = s.split_whitespace().skip(1).map(|x| x.parse().unwrap()).collect();
    let mut sum = 0u64;
    for i in 0..a.len() {
        // Bounds checks off in the hot loop: a common (if dubious) judge habit.
        sum += unsafe { *a.get_unchecked(i) };
    }
    println!("{}", sum);
}
