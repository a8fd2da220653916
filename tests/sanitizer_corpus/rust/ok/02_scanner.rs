use std::io::{self, BufRead, BufWriter, Write};
use std::str::SplitAsciiWhitespace;

struct Scanner {
    buffer: Vec<String>,
}

impl Scanner {
    fn next<T: std::str::FromStr>(&mut self) -> T {
        loop {
            if let Some(token) = self.buffer.pop() {
                return token.parse().ok().expect("parse");
            }
            let mut line = String::new();
            io::stdin().lock().read_line(&mut line).expect("read");
            let words: SplitAsciiWhitespace = line.split_ascii_whitespace();
            self.buffer = words.rev().map(String::from).collect();
        }
    }
}

fn main() {
    let mut sc = Scanner { buffer: Vec::new() };
    let out = &mut BufWriter::new(io::stdout());
    let n: usize = sc.next();
    let mut v: Vec<i64> = (0..n).map(|_| sc.next()).collect();
    v.sort_unstable();
    writeln!(out, "{}", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")).ok();
    std::process::exit(0);
}
