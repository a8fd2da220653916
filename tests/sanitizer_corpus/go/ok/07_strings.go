package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
)

func main() {
	reader := bufio.NewReader(os.Stdin)
	freq := map[string]int{}
	for {
		line, err := reader.ReadString('\n')
		for _, w := range strings.FieldsFunc(strings.ToLower(line), func(r rune) bool { return !unicode.IsLetter(r) }) {
			freq[w]++
		}
		if err != nil {
			break
		}
	}
	keys := make([]string, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if freq[keys[i]] != freq[keys[j]] {
			return freq[keys[i]] > freq[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for i := 0; i < len(keys) && i < 3; i++ {
		fmt.Printf("%s %d\n", keys[i], freq[keys[i]])
	}
}
