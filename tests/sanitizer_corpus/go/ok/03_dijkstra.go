package main

import (
	"bufio"
	"container/heap"
	"fmt"
	"math"
	"os"
)

type item struct {
	d int64
	u int
}
type pq []item

func (h pq) Len() int            { return len(h) }
func (h pq) Less(i, j int) bool  { return h[i].d < h[j].d }
func (h pq) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *pq) Push(x interface{}) { *h = append(*h, x.(item)) }
func (h *pq) Pop() interface{} {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func main() {
	in := bufio.NewReader(os.Stdin)
	var n, m int
	fmt.Fscan(in, &n, &m)
	type edge struct {
		to int
		w  int64
	}
	g := make([][]edge, n+1)
	for i := 0; i < m; i++ {
		var u, v int
		var w int64
		fmt.Fscan(in, &u, &v, &w)
		g[u] = append(g[u], edge{v, w})
		g[v] = append(g[v], edge{u, w})
	}
	dist := make([]int64, n+1)
	for i := range dist {
		dist[i] = math.MaxInt64
	}
	dist[1] = 0
	h := &pq{{0, 1}}
	for h.Len() > 0 {
		cur := heap.Pop(h).(item)
		if cur.d > dist[cur.u] {
			continue
		}
		for _, e := range g[cur.u] {
			if nd := cur.d + e.w; nd < dist[e.to] {
				dist[e.to] = nd
				heap.Push(h, item{nd, e.to})
			}
		}
	}
	fmt.Println(dist[n])
}
