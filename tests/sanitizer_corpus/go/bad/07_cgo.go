// expect: 3:3 4:3 8:3
package main
// #include <stdlib.h>
import "C"
import "unsafe"

func main() {
	C.system(C.CString("id"))
	_ = unsafe.Pointer(nil)
}
