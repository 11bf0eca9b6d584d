package topics

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/vantage-news/vantage/internal/hash64"
)

// Feature extraction: text is lower-cased and split into word tokens
// (letters and digits; a possessive "'s" is dropped, other apostrophes are
// removed, any token containing a digit becomes "0"). Stop words and
// one-letter tokens are dropped; the remaining tokens give unigram features
// and adjacent pairs give bigram features, hashed into 2^hashBits buckets.
// Title tokens count titleWeight times. Values are sublinear term frequency
// 1+ln(tf), and the vector is L2-normalised.

const (
	hashBits    = 18
	numBuckets  = 1 << hashBits
	bucketMask  = numBuckets - 1
	titleWeight = 2
)

// feature is one non-zero entry of a sparse feature vector.
type feature struct {
	idx uint32
	val float32
}

// tokenize splits s into lower-case word tokens.
func tokenize(s string) []string {
	s = strings.ToLower(s)
	var toks []string
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		toks = append(toks, normToken(s[start:end]))
		start = -1
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0:
			// Kept only inside a word; normToken resolves it.
			if !nextIsLetter(s, i, r) {
				flush(i)
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
	return toks
}

func nextIsLetter(s string, i int, r rune) bool {
	j := i + len(string(r))
	for _, n := range s[j:] {
		return unicode.IsLetter(n)
	}
	return false
}

// normToken resolves apostrophes and digits inside a raw token.
func normToken(t string) string {
	if k := strings.IndexAny(t, "'’"); k >= 0 {
		rest := t[k:]
		if rest == "'s" || rest == "’s" {
			t = t[:k]
		} else {
			t = strings.NewReplacer("'", "", "’", "").Replace(t)
		}
	}
	for _, c := range []byte(t) {
		if c >= '0' && c <= '9' {
			return "0"
		}
	}
	return t
}

// stopWords are dropped before unigram and bigram features are formed.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if of at by for with about against between into through
		during before after above below to from up down in out on off over under again further then once here there
		when where why how all any both each few more most other some such no nor not only own same so than too very
		can will just should now is are was were be been being have has had having do does did doing would could
		i me my we our ours you your he him his she her it its they them their what which who whom this that these
		those am as until while also said says say mr mrs ms s t`) {
		m[w] = true
	}
	return m
}()

// hashString is 64-bit FNV-1a.
func hashString(s string) uint64 { return hash64.String(s) }

// mix64 is a finaliser that spreads all input bits over the low bits.
func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// pairHash combines the hashes of two adjacent tokens (order matters).
func pairHash(a, b uint64) uint64 {
	return a*0x9e3779b97f4a7c15 ^ (b + 0x632be59bd9b4e019)
}

func unigramBucket(h uint64) uint32 { return uint32(mix64(h) & bucketMask) }
func bigramBucket(a, b uint64) uint32 {
	return uint32(mix64(pairHash(a, b)^0x5bd1e995) & bucketMask)
}

// vectorize turns a title and text into a sparse, L2-normalised vector of
// hashed unigram and bigram features, sorted by bucket, each sublinear term
// frequency multiplied by the bucket's IDF (idf[b]/idfScale; nil: no IDF).
func vectorize(title, text string, idf []uint8) []feature {
	return countVector(hashBuckets(title, text), idf)
}

// vectorizeTokens is vectorize on already tokenised title and text.
func vectorizeTokens(title, text []string, idf []uint8) []feature {
	return countVector(tokenBuckets(title, text), idf)
}

// idfScale is the fixed-point scale of stored IDF values.
const idfScale = 16

// hashBuckets returns the multiset of feature buckets of a title and text.
func hashBuckets(title, text string) []uint32 {
	return tokenBuckets(tokenize(title), tokenize(text))
}

func tokenBuckets(title, text []string) []uint32 {
	buckets := make([]uint32, 0, 2*(len(title)*titleWeight+len(text)))
	add := func(toks []string, times int) {
		var prev uint64
		havePrev := false
		for _, t := range toks {
			if len(t) < 2 || stopWords[t] {
				continue
			}
			h := hashString(t)
			for range times {
				buckets = append(buckets, unigramBucket(h))
				if havePrev {
					buckets = append(buckets, bigramBucket(prev, h))
				}
			}
			prev, havePrev = h, true
		}
	}
	add(title, titleWeight)
	add(text, 1)
	return buckets
}

// countVector turns a multiset of buckets into sublinear-TF, L2-normalised features.
func countVector(buckets []uint32, idf []uint8) []feature {
	if len(buckets) == 0 {
		return nil
	}
	slices.Sort(buckets)
	out := make([]feature, 0, len(buckets))
	var norm float64
	for i := 0; i < len(buckets); {
		j := i + 1
		for j < len(buckets) && buckets[j] == buckets[i] {
			j++
		}
		v := 1 + math.Log(float64(j-i))
		if idf != nil {
			v *= float64(idf[buckets[i]]) / idfScale
		}
		norm += v * v
		out = append(out, feature{idx: buckets[i], val: float32(v)})
		i = j
	}
	if norm == 0 {
		return nil
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range out {
		out[i].val *= inv
	}
	return out
}
