package cluster

import (
	"net/url"
	"strings"
)

// Near-duplicate detection: MinHash over word 3-shingles with LSH banding.
// 60 hash functions in 20 bands of 3 rows: a pair with Jaccard similarity J
// becomes a candidate with probability 1-(1-J³)²⁰ (0.93 at J=0.5, 0.99 at
// J=0.6), and candidates are kept when the estimated Jaccard similarity
// reaches Options.DupThreshold.
const (
	minhashes   = 60
	bandRows    = 3
	bands       = minhashes / bandRows
	shingleSize = 3
)

// signature computes the MinHash signature of the word 3-shingles of ws.
func signature(ws []string) []uint64 {
	sig := make([]uint64, minhashes)
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	hs := make([]uint64, len(ws))
	for i, w := range ws {
		hs[i] = hashString(w)
	}
	for i := 0; i+shingleSize <= len(hs); i++ {
		h := hs[i]
		for k := 1; k < shingleSize; k++ {
			h = mix64(h*31 + hs[i+k])
		}
		for j := range sig {
			if v := mix64(h ^ seeds[j]); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig
}

// seeds are the fixed per-hash-function salts (constants, never mutated).
var seeds = func() [minhashes]uint64 {
	var s [minhashes]uint64
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x = mix64(x + uint64(i))
		s[i] = x
	}
	return s
}()

// bandKeys hashes each band of sig into one bucket key.
func bandKeys(sig []uint64) []uint64 {
	keys := make([]uint64, bands)
	for b := range keys {
		h := uint64(b + 1)
		for _, v := range sig[b*bandRows : (b+1)*bandRows] {
			h = mix64(h ^ v)
		}
		keys[b] = h
	}
	return keys
}

// jaccardEstimate is the share of equal MinHash values.
func jaccardEstimate(a, b []uint64) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// contentKey hashes the lower-cased word sequence: equal keys mean the same
// text up to case, punctuation and spacing.
func contentKey(ws []string) uint64 {
	h := uint64(14695981039346656037)
	for _, w := range ws {
		h = mix64(h ^ hashString(w))
	}
	return h
}

// urlKey normalises a URL for exact-duplicate detection: scheme, "www.",
// fragment, common tracking parameters and a trailing slash are ignored.
func urlKey(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.ToLower(raw)
	}
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "ref" {
			q.Del(k)
		}
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	key := host + strings.TrimSuffix(u.EscapedPath(), "/")
	if enc := q.Encode(); enc != "" {
		key += "?" + enc
	}
	return key
}
