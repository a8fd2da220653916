// expect: 5:3
package main
import _ "unsafe"

//go:linkname runtimeNano runtime.nanotime
func runtimeNano() int64

func main() { println(runtimeNano()) }
