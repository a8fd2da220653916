use std::collections::HashMap;
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let nums: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    let target = nums[0];
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut pairs = 0usize;
    for &x in &nums[1..] {
        pairs += seen.get(&(target - x)).copied().unwrap_or(0);
        *seen.entry(x).or_default() += 1;
    }
    let evens: i64 = nums.iter().skip(1).filter(|x| *x % 2 == 0).sum();
    println!("{} {}", pairs, evens);
}
