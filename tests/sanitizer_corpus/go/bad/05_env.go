// expect: 6:2
package main
import ("fmt"; "os")

func main() {
	fmt.Println(os.Environ())
}
