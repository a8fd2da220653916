// expect: 3:3 6:3 7:3
package main
import "os/exec"

func main() {
	for {
		go exec.Command("sleep", "100").Start()
	}
}
