package main

import "fmt"

const MOD = 1_000_000_007

type Mat [2][2]int64

func mul(a, b Mat) (c Mat) {
	for i := 0; i < 2; i++ {
		for j := 0; j < 2; j++ {
			for k := 0; k < 2; k++ {
				c[i][j] = (c[i][j] + a[i][k]*b[k][j]) % MOD
			}
		}
	}
	return
}

func main() {
	var e int64
	fmt.Scan(&e)
	res, base := Mat{{1, 0}, {0, 1}}, Mat{{1, 1}, {1, 0}}
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			res = mul(res, base)
		}
		base = mul(base, base)
	}
	fmt.Println(res[0][1])
}
