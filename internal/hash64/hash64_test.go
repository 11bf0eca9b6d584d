package hash64

import (
	"hash/fnv"
	"testing"
)

func TestStringIsFNV1a(t *testing.T) {
	for _, s := range []string{"", "a", "istanbul", "Iran–Iraq border", "\x00\xff"} {
		h := fnv.New64a()
		h.Write([]byte(s))
		if got, want := String(s), h.Sum64(); got != want {
			t.Errorf("String(%q) = %x, want %x", s, got, want)
		}
	}
}
