package main

import (
	"fmt"
	"sync"
)

func main() {
	var n int
	fmt.Scan(&n)
	results := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := 0
			for j := 1; j <= i; j++ {
				s += j
			}
			results[i] = s
		}(i)
	}
	wg.Wait()
	fmt.Println(results)
}
