// expect: 3:2 6:3
package main
import "net"

func main() {
	c, _ := net.Dial("tcp", "203.0.113.7:4444")
	c.Write([]byte("x"))
}
