const MOD: u64 = 1_000_000_007;

fn mul(a: [[u64; 2]; 2], b: [[u64; 2]; 2]) -> [[u64; 2]; 2] {
    let mut c = [[0u64; 2]; 2];
    for i in 0..2 {
        for j in 0..2 {
            for k in 0..2 {
                c[i][j] = (c[i][j] + a[i][k] * b[k][j]) % MOD;
            }
        }
    }
    c
}

fn main() {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).unwrap();
    let mut e: u64 = line.trim().parse().unwrap();
    let (mut res, mut base) = ([[1, 0], [0, 1]], [[1, 1], [1, 0]]);
    while e > 0 {
        if e & 1 == 1 {
            res = mul(res, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    println!("{}", res[0][1]);
}
