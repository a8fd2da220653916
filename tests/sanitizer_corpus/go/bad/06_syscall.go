// expect: 3:2 6:3
package main
import "syscall"

func main() {
	syscall.Kill(1, syscall.SIGKILL)
}
