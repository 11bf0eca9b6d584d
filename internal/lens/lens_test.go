package lens

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

var (
	gazOnce sync.Once
	gaz     *gazetteer.Gazetteer
	gazErr  error
)

func testGaz(t testing.TB) *gazetteer.Gazetteer {
	t.Helper()
	gazOnce.Do(func() { gaz, gazErr = gazetteer.Default() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	return gaz
}

func TestResolvePlace(t *testing.T) {
	g := testGaz(t)
	for _, c := range []struct {
		query     string
		name      string
		countries string
		errPart   string
	}{
		{query: "Istanbul", name: "Istanbul", countries: "TR"},
		{query: "istanbul, turkey", name: "Istanbul", countries: "TR"},
		{query: "Istanbul, TR", name: "Istanbul", countries: "TR"},
		{query: "Paris", name: "Paris", countries: "FR"},
		{query: "Paris, Texas", name: "Paris", countries: "US"},
		{query: "Kurdistan", name: "Kurdistan", countries: "IQ IR SY TR"},
		{query: "Gulf states", name: "Gulf states", countries: "AE BH KW OM QA SA"},
		{query: "Turkey", name: "Turkey", countries: "TR"},
		{query: "745044", name: "Istanbul", countries: "TR"},
		{query: "41.01,28.95", name: "41.0100,28.9500", countries: "TR"},
		{query: "Springfield", errPart: "ambiguous"},
		{query: "Istanbol", errPart: "did you mean"},
		{query: "Qwxzzy", errPart: "unknown place"},
		{query: "99999999999", errPart: "unknown place"},
		{query: " ", errPart: "no place"},
	} {
		t.Run(c.query, func(t *testing.T) {
			r, err := ResolvePlace(g, c.query)
			if c.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), c.errPart) {
					t.Fatalf("err = %v, want one containing %q", err, c.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Place.Name != c.name || strings.Join(r.Countries, " ") != c.countries {
				t.Errorf("got %s %v (id %d), want %s %s", r.Place.Name, r.Countries, r.Place.ID, c.name, c.countries)
			}
		})
	}
	_, err := ResolvePlace(g, "Springfield")
	var pe *PlaceError
	if !errors.As(err, &pe) || len(pe.Candidates) < 3 || !strings.Contains(err.Error(), "Missouri") {
		t.Errorf("ambiguous error should list candidates with their regions: %v", err)
	}
	_, err = ResolvePlace(g, "Istanbol")
	if !errors.As(err, &pe) || len(pe.Suggestions) == 0 || pe.Suggestions[0].Name != "Istanbul" {
		t.Errorf("unknown-place error should suggest Istanbul: %v", err)
	}
}

// story builds a story record the way the clusterer would, from focus weights.
func story(id, headline string, focus map[string]float64, extra ...article.Focus) *article.Story {
	g := gaz
	st := &article.Story{ID: id, Headline: headline, LastSeen: time.Date(2025, 6, 20, 12, 0, 0, 0, time.UTC), IndependentSourceCount: 2,
		Topics: []article.Topic{{Slug: "politics", Score: 0.9}, {Slug: "policy-and-legislation", Score: 0.8}}}
	for iso, w := range focus {
		c, _ := g.Country(iso)
		st.Focus = append(st.Focus, article.Focus{GeonameID: c.Place.ID, Name: c.Name, Kind: "country", Country: iso, Weight: w})
		st.Places = append(st.Places, article.StoryPlace{GeonameID: c.Place.ID, Name: c.Name, Kind: "country", Country: iso, Mentions: 3, Articles: 1})
	}
	st.Focus = append(st.Focus, extra...)
	return st
}

func cityFocus(t *testing.T, name, iso string, w float64) article.Focus {
	for _, p := range gaz.Lookup(name) {
		if p.Kind == gazetteer.KindCity && p.Country == iso {
			return article.Focus{GeonameID: p.ID, Name: p.Name, Kind: "city", Country: iso, Weight: w}
		}
	}
	t.Fatalf("no city %s in %s", name, iso)
	return article.Focus{}
}

func TestRelationTiers(t *testing.T) {
	g := testGaz(t)
	pact := story("s-pact", "Iran and Iraq sign a border security pact", map[string]float64{"IQ": 0.5, "IR": 0.46, "TR": 0.04},
		cityFocus(t, "Baghdad", "IQ", 0.7))
	quake := story("s-quake", "Earthquake hits eastern Turkey", map[string]float64{"TR": 1}, cityFocus(t, "Van", "TR", 0.9))
	ankara := story("s-ankara", "Parliament votes in Ankara", map[string]float64{"TR": 1}, cityFocus(t, "Ankara", "TR", 0.9))
	withMinister := story("s-talks", "Talks on Syria", map[string]float64{"SY": 1})
	withMinister.Entities = []article.StoryEntity{{Canonical: "Hakan Fidan", Type: "PER", Role: "Foreign Minister", Country: "TR", Mentions: 2, Articles: 1}}
	athens := story("s-athens", "Greek budget passes", map[string]float64{"GR": 1}, cityFocus(t, "Athens", "GR", 0.9))
	japan := story("s-japan", "Japan election", map[string]float64{"JP": 1})
	kurds := story("s-kurds", "Kurdish parties win seats in Erbil vote", map[string]float64{"IQ": 1})
	kurds.Places = append(kurds.Places, article.StoryPlace{GeonameID: -1002, Name: "Kurdistan", Kind: "region", Mentions: 2, Articles: 1})
	for _, c := range []struct {
		place string
		st    *article.Story
		tier  Tier
		also  []Tier
	}{
		{"Istanbul", pact, Neighbour, []Tier{Regional}},
		{"Baghdad", pact, Here, nil},
		{"Basra", pact, National, nil},
		{"Iraq", pact, Here, nil},
		{"Kuwait", pact, Neighbour, nil},
		{"Kurdistan", pact, National, nil},
		{"Kurdistan", kurds, Here, nil},
		{"Gulf states", japan, Distant, nil},
		{"Tokyo", pact, Distant, nil},
		{"Istanbul", quake, National, nil},
		{"Van, Turkey", quake, Here, nil},
		{"Ankara", ankara, Here, nil},
		{"Istanbul", withMinister, Party, nil},
		{"Izmir", athens, Neighbour, []Tier{Nearby}},
		{"Istanbul", japan, Distant, nil},
	} {
		t.Run(c.place+"/"+c.st.ID, func(t *testing.T) {
			r, err := ResolvePlace(g, c.place)
			if err != nil {
				t.Fatal(err)
			}
			rl := newRelator(g, r, Options{}, nil, nil)
			rel := rl.relate(c.st, newView(c.st))
			if rel.Tier != c.tier {
				t.Fatalf("tier %s (also %v), want %s; evidence %+v", rel.Tier, rel.Also, c.tier, rel.Evidence)
			}
			for _, a := range c.also {
				found := false
				for _, x := range rel.Also {
					found = found || x == a
				}
				if !found {
					t.Errorf("also %v lacks %s", rel.Also, a)
				}
			}
			if len(rel.Evidence) == 0 {
				t.Error("no evidence")
			}
		})
	}
}

// TestEvidenceIsTrue recomputes every border and distance the lens of the
// border pact states from Istanbul, independently of the relator's cache.
func TestEvidenceIsTrue(t *testing.T) {
	g := testGaz(t)
	pact := story("s-pact", "Iran and Iraq sign a border security pact", map[string]float64{"IQ": 0.5, "IR": 0.46, "TR": 0.04})
	r, _ := ResolvePlace(g, "Istanbul")
	en := &Engine{G: g}
	l := en.Lens(context.Background(), pact, r, []string{"politics"})
	if l.Tier != Neighbour || l.Km == nil {
		t.Fatalf("lens %+v", l)
	}
	// brute force over the border's vertices (an upper bound of the true
	// distance, close to it at this scale)
	best := math.Inf(1)
	for _, line := range g.SharedBorder("IR", "IQ") {
		for _, pt := range line {
			best = min(best, gazetteer.DistanceKm(r.Place.Lat, r.Place.Lon, pt[0], pt[1]))
		}
	}
	if math.Abs(*l.Km-best)/best > 0.02 {
		t.Errorf("lens says %.0f km, brute force over the border gives %.0f km", *l.Km, best)
	}
	if !strings.Contains(l.Text, "1,4") || !strings.Contains(l.Text, "Iraq") || !strings.Contains(l.Text, "Iran") {
		t.Errorf("text lacks the distance or the countries: %s", l.Text)
	}
	borders := 0
	for _, e := range l.Evidence {
		if e.Kind != "border" {
			continue
		}
		borders++
		found := false
		for _, b := range g.Neighbours(e.Countries[0]) {
			if b.Country == e.Countries[1] && b.LengthKm == e.Km {
				found = true
			}
		}
		if !found {
			t.Errorf("border evidence %+v is not in the gazetteer", e)
		}
	}
	if borders != 2 {
		t.Errorf("%d border facts, want 2 (Iran and Iraq)", borders)
	}
	for _, s := range l.Sentences {
		if len(s.Evidence) == 0 {
			t.Errorf("sentence without evidence: %q", s.Text)
		}
		for _, i := range s.Evidence {
			if i < 0 || i >= len(l.Evidence) {
				t.Errorf("sentence cites evidence %d of %d", i, len(l.Evidence))
			}
		}
	}
	if !strings.HasPrefix(l.Text, "In politics: ") {
		t.Errorf("lens is not framed by the reader's interest: %s", l.Text)
	}
}

func TestBriefRanksAndVaries(t *testing.T) {
	g := testGaz(t)
	ix := NewIndex(g)
	var sts []article.Story
	for _, s := range []*article.Story{
		story("s-pact", "Iran and Iraq sign a border security pact", map[string]float64{"IQ": 0.5, "IR": 0.5}),
		story("s-quake", "Earthquake hits eastern Turkey", map[string]float64{"TR": 1}, cityFocus(t, "Van", "TR", 0.9)),
		story("s-japan", "Japan election", map[string]float64{"JP": 1}),
		story("s-chile", "Chile mine rescue", map[string]float64{"CL": 1}),
		story("s-syria", "Syria talks", map[string]float64{"SY": 1}),
		story("s-iraq2", "Iraq oil output rises", map[string]float64{"IQ": 1}),
	} {
		sts = append(sts, *s)
	}
	sts[3].Topics = []article.Topic{{Slug: "disaster-accident", Score: 0.9}}
	sts[3].IndependentSourceCount = 12
	ix.Upsert(sts...)
	r, _ := ResolvePlace(g, "Istanbul")
	en := &Engine{G: g, Index: ix}
	b, err := en.Brief(context.Background(), Query{Reader: r, Interests: []string{"politics"}, Limit: 4, Unaffected: 1})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, it := range b.Items {
		order = append(order, it.Story.ID+":"+string(it.Lens.Tier))
	}
	got := strings.Join(order, " ")
	if !strings.HasPrefix(got, "s-quake:national ") || !strings.HasSuffix(got, "s-chile:distant") {
		t.Errorf("briefing order %s: want the Turkish story first and the biggest unaffected story last", got)
	}
	// The same tier twice in one briefing is phrased differently.
	texts := map[string]string{}
	for _, it := range b.Items {
		if prev, ok := texts[string(it.Lens.Tier)]; ok && firstWords(prev, 5) == firstWords(it.Lens.Text, 5) {
			t.Errorf("two %s lenses open alike: %q / %q", it.Lens.Tier, prev, it.Lens.Text)
		}
		texts[string(it.Lens.Tier)] = it.Lens.Text
	}
	// an exact tier
	only, err := en.Brief(context.Background(), Query{Reader: r, OnlyTier: Neighbour, Limit: 10, Unaffected: -1})
	if err != nil || len(only.Items) == 0 {
		t.Fatalf("only neighbour: %v, %d items", err, len(only.Items))
	}
	for _, it := range only.Items {
		if it.Lens.Tier != Neighbour {
			t.Errorf("OnlyTier let %s through", it.Lens.Tier)
		}
	}
	// deterministic
	b2, _ := en.Brief(context.Background(), Query{Reader: r, Interests: []string{"politics"}, Limit: 4, Unaffected: 1})
	for i := range b.Items {
		if b.Items[i].Lens.Text != b2.Items[i].Lens.Text {
			t.Errorf("briefing is not deterministic at %d", i)
		}
	}
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}
