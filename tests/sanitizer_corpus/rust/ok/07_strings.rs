use std::collections::BTreeMap;
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut freq: BTreeMap<String, usize> = BTreeMap::new();
    for w in s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        *freq.entry(w.to_lowercase()).or_insert(0) += 1;
    }
    let mut items: Vec<_> = freq.into_iter().collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (w, c) in items.iter().take(3) {
        println!("{} {}", w, c);
    }
    let rev: String = s.trim().chars().rev().collect();
    println!("{}", rev);
}
