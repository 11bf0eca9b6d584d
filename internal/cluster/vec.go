package cluster

import (
	"math"
	"slices"
)

// entry is one weighted term of a sparse vector; terms are 64-bit hashes of
// stemmed words, so no vocabulary is kept.
type entry struct {
	term   uint64
	weight float32
}

// vector is a sparse vector sorted by term.
type vector []entry

func (v vector) norm() float64 {
	var s float64
	for _, e := range v {
		s += float64(e.weight) * float64(e.weight)
	}
	return math.Sqrt(s)
}

// dot is the inner product of two sorted sparse vectors (a merge join).
func dot(a, b vector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			s += float64(a[i].weight) * float64(b[j].weight)
			i++
			j++
		}
	}
	return s
}

// cosine of a and b given their norms.
func cosine(a vector, na float64, b vector, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	return dot(a, b) / (na * nb)
}

// weightOf returns the weight of term in v (0 when absent).
func (v vector) weightOf(term uint64) float32 {
	i, ok := slices.BinarySearchFunc(v, term, func(e entry, t uint64) int {
		switch {
		case e.term < t:
			return -1
		case e.term > t:
			return 1
		}
		return 0
	})
	if !ok {
		return 0
	}
	return v[i].weight
}

// add returns a+b·scale (sorted), reusing no memory of a or b.
func add(a, b vector, scale float32) vector {
	out := make(vector, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].term < b[j].term):
			out = append(out, a[i])
			i++
		case i >= len(a) || a[i].term > b[j].term:
			out = append(out, entry{b[j].term, b[j].weight * scale})
			j++
		default:
			out = append(out, entry{a[i].term, a[i].weight + b[j].weight*scale})
			i++
			j++
		}
	}
	return out
}

// topK keeps the k heaviest entries of v (ties: lower term), sorted by term.
// It may reorder v in place.
func topK(v vector, k int) vector {
	if k <= 0 || len(v) <= k {
		return v
	}
	selectTop(v, k)
	v = v[:k]
	sortByTerm(v)
	return v
}

// heavier is the order topK keeps by: weight descending, then term
// ascending (a total order: terms are unique).
func heavier(a, b entry) bool {
	return a.weight > b.weight || (a.weight == b.weight && a.term < b.term)
}

// selectTop moves the k heaviest entries of v to v[:k], in no particular
// order (quickselect, median-of-three pivot; expected linear time).
func selectTop(v vector, k int) {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three to v[hi] as the pivot
		if heavier(v[mid], v[lo]) {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if heavier(v[hi], v[lo]) {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if heavier(v[mid], v[hi]) {
			v[mid], v[hi] = v[hi], v[mid]
		}
		p := v[hi]
		i := lo
		for j := lo; j < hi; j++ {
			if heavier(v[j], p) {
				v[i], v[j] = v[j], v[i]
				i++
			}
		}
		v[i], v[hi] = v[hi], v[i]
		switch {
		case i == k || i == k-1:
			return
		case i < k:
			lo = i + 1
		default:
			hi = i - 1
		}
	}
}

func sortByTerm(v vector) {
	slices.SortFunc(v, func(a, b entry) int {
		switch {
		case a.term < b.term:
			return -1
		case a.term > b.term:
			return 1
		}
		return 0
	})
}

// dfSketch is a count-min sketch of document frequencies: fixed memory
// however long the stream, at the price of slightly overestimated counts
// for rare terms that collide with common ones.
type dfSketch struct {
	rows [2][]uint32
	docs int
}

const dfBits = 19

func newDFSketch() *dfSketch {
	s := &dfSketch{}
	for i := range s.rows {
		s.rows[i] = make([]uint32, 1<<dfBits)
	}
	return s
}

func (s *dfSketch) slots(t uint64) (int, int) {
	const mask = 1<<dfBits - 1
	return int(t & mask), int(mix64(t) & mask)
}

func (s *dfSketch) inc(t uint64) {
	a, b := s.slots(t)
	if s.rows[0][a] < math.MaxUint32 {
		s.rows[0][a]++
	}
	if s.rows[1][b] < math.MaxUint32 {
		s.rows[1][b]++
	}
}

func (s *dfSketch) df(t uint64) int {
	a, b := s.slots(t)
	return int(min(s.rows[0][a], s.rows[1][b]))
}

// idf is the smoothed inverse document frequency ln(1 + N/df).
func (s *dfSketch) idf(t uint64) float64 {
	n := float64(max(s.docs, 1))
	df := float64(max(s.df(t), 1))
	return math.Log(1 + n/df)
}
