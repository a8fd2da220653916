package main

import (
	"bufio"
	"fmt"
	"os"
	"unsafe"
)

func b2s(b []byte) string { return *(*string)(unsafe.Pointer(&b)) }

func main() {
	r := bufio.NewReaderSize(os.Stdin, 1<<20)
	line, _ := r.ReadBytes('\n')
	s := b2s(line)
	fmt.Println(len(s))
}
