use std::io::Read;

fn depth(children: &Vec<Vec<usize>>, u: usize) -> usize {
    1 + children[u].iter().map(|&v| depth(children, v)).max().unwrap_or(0)
}

fn main() {
    // More stack for deep recursion: run the solver in a thread with a big stack.
    let child = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).unwrap();
            let v: Vec<usize> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
            let n = v[0];
            let mut children = vec![Vec::new(); n];
            for i in 1..n {
                children[v[i] - 1].push(i);
            }
            println!("{}", depth(&children, 0));
        })
        .unwrap();
    child.join().unwrap();
}
