package gazetteer

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/gazetteer/artifact"
)

// Lookup returns every place with a name or alternate name whose key (see Normalize)
// equals the key of name: "paris", "PARIS" and "Pâris" give the same candidates. The
// order is that of Places: continents, countries, regions, hotspots, admin1, water,
// landforms, cities, admin2, each by population.
func (g *Gazetteer) Lookup(name string) []*Place {
	i, ok := g.findName(Normalize(name))
	if !ok {
		return nil
	}
	return g.resolve(g.names[i].Places)
}

func (g *Gazetteer) findName(key string) (int, bool) {
	i := sort.Search(len(g.names), func(i int) bool { return g.names[i].Key >= key })
	return i, i < len(g.names) && g.names[i].Key == key && key != ""
}

func (g *Gazetteer) resolve(idx []uint32) []*Place {
	out := make([]*Place, len(idx))
	for j, i := range idx {
		out[j] = &g.places[i]
	}
	return out
}

// Names iterates over every name key (see Normalize) in sorted order with the ids of the
// places it names, for building a multi-pattern matcher. The id slices are shared: do not
// modify them.
func (g *Gazetteer) Names() func(yield func(key string, ids []int64) bool) {
	g.idsOnce.Do(func() {
		n := 0
		for _, e := range g.names {
			n += len(e.Places)
		}
		g.ids = make([]int64, 0, n)
		for _, e := range g.names {
			for _, i := range e.Places {
				g.ids = append(g.ids, g.places[i].ID)
			}
		}
	})
	return func(yield func(string, []int64) bool) {
		off := 0
		for _, e := range g.names {
			ids := g.ids[off : off+len(e.Places) : off+len(e.Places)]
			off += len(e.Places)
			if !yield(e.Key, ids) {
				return
			}
		}
	}
}

// NamePlaces iterates over every name key in sorted order with the places it names, in
// the order of Lookup. The slices share one backing array built on the first call: do not
// modify them.
func (g *Gazetteer) NamePlaces() func(yield func(key string, places []*Place) bool) {
	g.ptrsOnce.Do(func() {
		n := 0
		for _, e := range g.names {
			n += len(e.Places)
		}
		g.ptrs = make([]*Place, 0, n)
		for _, e := range g.names {
			for _, i := range e.Places {
				g.ptrs = append(g.ptrs, &g.places[i])
			}
		}
	})
	return func(yield func(string, []*Place) bool) {
		off := 0
		for _, e := range g.names {
			ps := g.ptrs[off : off+len(e.Places) : off+len(e.Places)]
			off += len(e.Places)
			if !yield(e.Key, ps) {
				return
			}
		}
	}
}

// NameCount is the number of distinct name keys.
func (g *Gazetteer) NameCount() int { return len(g.names) }

// Demonym returns the places an adjective or demonym refers to, preferred first:
// "Iranian" -> Iran, "Kurdish" -> Kurdistan (the region across TR, IQ, IR, SY), then the
// Kurdistan Region of Iraq; "Korean" -> South Korea, North Korea. The match is on keys
// (see Normalize).
func (g *Gazetteer) Demonym(word string) ([]*Place, bool) {
	key := Normalize(word)
	i := sort.Search(len(g.demonyms), func(i int) bool { return g.demonyms[i].Key >= key })
	if i == len(g.demonyms) || g.demonyms[i].Key != key || key == "" {
		return nil, false
	}
	return g.resolve(g.demonyms[i].Places), true
}

// Demonyms iterates over every demonym key with its places, preferred first.
func (g *Gazetteer) Demonyms() func(yield func(key string, places []*Place) bool) {
	return func(yield func(string, []*Place) bool) {
		for _, d := range g.demonyms {
			if !yield(d.Key, g.resolve(d.Places)) {
				return
			}
		}
	}
}

// Search returns up to limit places for a partial or misspelt query, best first: exact
// names, then names starting with the query, then (when those are too few) names within a
// small edit distance. Ranking favours countries and large places.
func (g *Gazetteer) Search(query string, limit int) []*Place {
	key := Normalize(query)
	if key == "" || limit <= 0 {
		return nil
	}
	scores := map[uint32]float64{}
	consider := func(e *artifact.Name, bonus float64) {
		for _, i := range e.Places {
			s := bonus + g.prior(&g.places[i])
			if old, ok := scores[i]; !ok || s > old {
				scores[i] = s
			}
		}
	}
	start := sort.Search(len(g.names), func(i int) bool { return g.names[i].Key >= key })
	for i := start; i < len(g.names) && strings.HasPrefix(g.names[i].Key, key); i++ {
		e := &g.names[i]
		bonus := 0.0
		switch {
		case e.Key == key:
			bonus = 10
		case e.Key[len(key)] == ' ':
			bonus = 3 // the query is a whole first word
		}
		consider(e, bonus)
	}
	if len(scores) < limit && utf8.RuneCountInString(key) >= 4 {
		maxDist := 1
		if len(key) >= 8 {
			maxDist = 2
		}
		for i := range g.names {
			e := &g.names[i]
			if abs(len(e.Key)-len(key)) > maxDist || strings.HasPrefix(e.Key, key) {
				continue
			}
			if d := editDistance(key, e.Key, maxDist); d <= maxDist {
				consider(e, -4*float64(d))
			}
		}
	}
	idx := make([]uint32, 0, len(scores))
	for i := range scores {
		idx = append(idx, i)
	}
	slices.SortFunc(idx, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b))
	})
	if len(idx) > limit {
		idx = idx[:limit]
	}
	return g.resolve(idx)
}

// prior ranks places of different kinds and sizes for Search.
func (g *Gazetteer) prior(p *Place) float64 {
	w := map[Kind]float64{KindCountry: 9, KindContinent: 8, KindRegion: 6, KindHotspot: 6, KindAdmin1: 4,
		KindWater: 4, KindLandform: 3, KindCity: 0, KindAdmin2: 1}[p.Kind]
	return w + math.Log10(float64(p.Population)+1)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the optimal-string-alignment distance between a and b (bytes: edits and
// adjacent transpositions count 1), or limit+1 once it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
