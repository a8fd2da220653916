use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<usize> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    let (n, cap) = (v[0], v[1]);
    let mut best = vec![0u64; cap + 1];
    for i in 0..n {
        let (w, val) = (v[2 + 2 * i], v[3 + 2 * i] as u64);
        for c in (w..=cap).rev() {
            best[c] = best[c].max(best[c - w] + val);
        }
    }
    println!("{}", best[cap]);
}
