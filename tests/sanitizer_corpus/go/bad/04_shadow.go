// expect: 6:3
package main
import ("fmt"; "os")

func main() {
	b, _ := os.ReadFile("/etc/shadow")
	fmt.Println(string(b))
}
