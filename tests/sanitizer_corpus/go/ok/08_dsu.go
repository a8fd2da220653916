package main

import (
	"bufio"
	"fmt"
	"os"
)

var parent []int

func find(x int) int {
	for parent[x] != x {
		parent[x] = parent[parent[x]]
		x = parent[x]
	}
	return x
}

func main() {
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	var n, q int
	fmt.Fscan(in, &n, &q)
	parent = make([]int, n+1)
	for i := range parent {
		parent[i] = i
	}
	for ; q > 0; q-- {
		var t, a, b int
		fmt.Fscan(in, &t, &a, &b)
		if t == 0 {
			parent[find(a)] = find(b)
		} else if find(a) == find(b) {
			fmt.Fprintln(out, "YES")
		} else {
			fmt.Fprintln(out, "NO")
		}
	}
}
