use std::fmt::Display;
use std::io::Read;

trait Shape {
    fn area(&self) -> f64;
}

struct Rect(f64, f64);
struct Circle(f64);

impl Shape for Rect {
    fn area(&self) -> f64 {
        self.0 * self.1
    }
}
impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.0 * self.0
    }
}

fn show<T: Display>(label: &str, v: T) {
    println!("{}: {}", label, v);
}

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let shapes: Vec<Box<dyn Shape>> = s
        .lines()
        .map(|l| {
            let p: Vec<f64> = l.split(' ').skip(1).map(|x| x.parse().unwrap()).collect();
            if l.starts_with('r') { Box::new(Rect(p[0], p[1])) as Box<dyn Shape> } else { Box::new(Circle(p[0])) }
        })
        .collect();
    show("total", shapes.iter().map(|s| s.area()).sum::<f64>());
}
