package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	in := bufio.NewReader(os.Stdin)
	var r, c int
	fmt.Fscan(in, &r, &c)
	grid := make([]string, r)
	for i := range grid {
		fmt.Fscan(in, &grid[i])
	}
	dist := make([][]int, r)
	for i := range dist {
		dist[i] = make([]int, c)
		for j := range dist[i] {
			dist[i][j] = -1
		}
	}
	type p struct{ x, y int }
	q := []p{{0, 0}}
	dist[0][0] = 0
	dirs := []p{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}
	for len(q) > 0 {
		cur := q[0]
		q = q[1:]
		for _, d := range dirs {
			nx, ny := cur.x+d.x, cur.y+d.y
			if nx < 0 || ny < 0 || nx >= r || ny >= c || grid[nx][ny] == '#' || dist[nx][ny] >= 0 {
				continue
			}
			dist[nx][ny] = dist[cur.x][cur.y] + 1
			q = append(q, p{nx, ny})
		}
	}
	fmt.Println(dist[r-1][c-1])
}
