use std::io::{self, BufWriter, Read, Write};

fn main() {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input).unwrap();
    let mut it = input.split_ascii_whitespace().map(|x| x.parse::<i64>().unwrap());
    let t = it.next().unwrap();
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    for _ in 0..t {
        let (a, b) = (it.next().unwrap(), it.next().unwrap());
        writeln!(out, "{}", a + b).unwrap();
    }
}
