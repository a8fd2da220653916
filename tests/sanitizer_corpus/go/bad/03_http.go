// expect: 3:2 6:3
package main
import "net/http"

func main() {
	http.Get("http://203.0.113.7/")
}
