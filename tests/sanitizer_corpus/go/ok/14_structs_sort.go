package main

import (
	"fmt"
	"sort"
)

type Person struct {
	Name string
	Age  int
}

type ByAge []Person

func (a ByAge) Len() int           { return len(a) }
func (a ByAge) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }
func (a ByAge) Less(i, j int) bool { return a[i].Age < a[j].Age || (a[i].Age == a[j].Age && a[i].Name < a[j].Name) }

func main() {
	var n int
	fmt.Scan(&n)
	people := make([]Person, n)
	for i := range people {
		fmt.Scan(&people[i].Name, &people[i].Age)
	}
	sort.Sort(ByAge(people))
	for _, p := range people {
		fmt.Printf("%s %d\n", p.Name, p.Age)
	}
}
