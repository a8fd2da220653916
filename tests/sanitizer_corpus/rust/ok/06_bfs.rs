use std::collections::VecDeque;
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let mut lines = s.lines();
    let dims: Vec<usize> = lines.next().unwrap().split(' ').map(|x| x.parse().unwrap()).collect();
    let (r, c) = (dims[0], dims[1]);
    let grid: Vec<&[u8]> = lines.take(r).map(|l| l.as_bytes()).collect();
    let mut dist = vec![vec![-1i32; c]; r];
    let mut q = VecDeque::new();
    dist[0][0] = 0;
    q.push_back((0usize, 0usize));
    while let Some((x, y)) = q.pop_front() {
        let moves = [(1i32, 0i32), (-1, 0), (0, 1), (0, -1)];
        for (dx, dy) in moves {
            let (nx, ny) = (x as i32 + dx, y as i32 + dy);
            if nx < 0 || ny < 0 || nx >= r as i32 || ny >= c as i32 {
                continue;
            }
            let (nx, ny) = (nx as usize, ny as usize);
            if grid[nx][ny] == b'#' || dist[nx][ny] >= 0 {
                continue;
            }
            dist[nx][ny] = dist[x][y] + 1;
            q.push_back((nx, ny));
        }
    }
    println!("{}", dist[r - 1][c - 1]);
}
