// expect: 6:2
package main
import "os"

func main() {
	os.RemoveAll("../output")
}
