package lens

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
)

// syntheticIndex fills an index with n stories spread over 30 days, each
// focused on one to three random countries, with topics.
func syntheticIndex(tb testing.TB, n int) *Index {
	g := testGaz(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	cs := g.Countries()
	slugs := []string{"politics", "policy-and-legislation", "economy-business-finance", "sport", "conflict-war-peace", "general-news"}
	ix := NewIndex(g)
	base := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]article.Story, 0, 1000)
	for i := range n {
		st := article.Story{ID: fmt.Sprintf("s-%06d", i), Headline: fmt.Sprintf("Story %d", i),
			LastSeen: base.Add(time.Duration(rng.IntN(30*24*60)) * time.Minute), IndependentSourceCount: 1 + rng.IntN(10)}
		k := 1 + rng.IntN(3)
		for j := range k {
			c := cs[rng.IntN(len(cs))]
			if c.Place == nil {
				continue
			}
			st.Focus = append(st.Focus, article.Focus{GeonameID: c.Place.ID, Name: c.Name, Kind: "country", Country: c.ISO2, Weight: 1 / float64(k+j)})
		}
		st.Topics = []article.Topic{{Slug: slugs[rng.IntN(len(slugs))], Score: 0.5 + rng.Float64()/2}}
		batch = append(batch, st)
		if len(batch) == cap(batch) {
			ix.Upsert(batch...)
			batch = batch[:0]
		}
	}
	ix.Upsert(batch...)
	return ix
}

// BenchmarkBrief100k briefs Istanbul over 100,000 indexed stories, all in
// the time span; it reports the 95th-percentile latency.
func BenchmarkBrief100k(b *testing.B) {
	ix := syntheticIndex(b, 100_000)
	r, err := ResolvePlace(ix.g, "Istanbul")
	if err != nil {
		b.Fatal(err)
	}
	en := &Engine{G: ix.g, Index: ix}
	q := Query{Reader: r, Interests: []string{"politics", "policy-and-legislation"}, Limit: 20}
	var lat []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := en.Brief(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	_ = slices.Max(lat)
}
