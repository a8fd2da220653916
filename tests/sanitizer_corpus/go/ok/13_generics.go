package main

import (
	"cmp"
	"fmt"
	"slices"
)

func MaxOf[T cmp.Ordered](xs []T) T {
	m := xs[0]
	for _, x := range xs[1:] {
		m = max(m, x)
	}
	return m
}

func main() {
	var n int
	fmt.Scan(&n)
	xs := make([]int, n)
	for i := range xs {
		fmt.Scan(&xs[i])
	}
	slices.Sort(xs)
	fmt.Println(MaxOf(xs), xs[0], slices.Index(xs, xs[n/2]))
}
