// expect: 3:3 7:3
package main
import "os/exec"
import "fmt"

func main() {
	out, _ := exec.Command("sh", "-c", "id").Output()
	fmt.Println(string(out))
}
