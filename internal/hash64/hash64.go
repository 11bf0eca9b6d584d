// Package hash64 holds the string hash the text steps share (topic features,
// story clustering): 64-bit FNV-1a without allocation. Changing it changes the
// shipped topic model's feature indices, so it stays as it is.
package hash64

// String is the 64-bit FNV-1a hash of s.
func String(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
