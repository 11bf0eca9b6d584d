package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

// TestBriefWikinewsFacts briefs places of every kind over the Wikinews
// corpus and checks every fact in every lens against the gazetteer,
// recomputing borders, regions, blocs and distances independently.
func TestBriefWikinewsFacts(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the Wikinews corpus")
	}
	corpus := sharedtest.Path(t, "data/demo-corpus/wikinews.jsonl")
	db := filepath.Join(t.TempDir(), "wikinews.db")
	if code, out, stderr := run(t, nil, "", "ingest", "--quiet", "--db", db, corpus); code != 0 {
		t.Fatalf("ingest: %d %s %s", code, out, stderr)
	}
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	places := []string{
		"Istanbul",      // a big city
		"Tokyo",         // a capital
		"Wagga Wagga",   // a small city
		"Kurdistan",     // a region across countries
		"Gulf states",   // a named group of countries
		"Iceland",       // an island state
		"Nepal",         // a landlocked country
		"Ulaanbaatar",   // a capital named nowhere (or hardly) in the corpus
		"Paris, Texas",  // a qualified small town
		"-33.87,151.21", // a coordinate (Sydney)
		"Nairobi",       // a capital in Africa
		"Bavaria",       // a first-level region
	}
	numRe := regexp.MustCompile(`\d[\d,]*`)
	for _, place := range places {
		t.Run(place, func(t *testing.T) {
			code, out, stderr := run(t, nil, "", "brief", "--db", db, "--place", place, "--topics", "politics,conflict-war-peace,disaster-accident",
				"--limit", "12", "--format", "json")
			if code != 0 {
				t.Fatalf("brief: %d %s", code, stderr)
			}
			var b struct {
				Countries []string
				Items     []struct {
					Story article.Story
					Lens  lens.Lens
				}
			}
			if err := json.Unmarshal([]byte(out), &b); err != nil {
				t.Fatal(err)
			}
			if len(b.Items) == 0 {
				t.Fatal("empty briefing")
			}
			reader, err := lens.ResolvePlace(g, place)
			if err != nil {
				t.Fatal(err)
			}
			tiers := map[lens.Tier]int{}
			for _, it := range b.Items {
				tiers[it.Lens.Tier]++
				checkLens(t, g, reader, &it.Story, &it.Lens, numRe)
			}
			t.Logf("%s: %d stories, tiers %v; first: %s", place, len(b.Items), tiers, b.Items[0].Lens.Text)
		})
	}
}

func checkLens(t *testing.T, g *gazetteer.Gazetteer, r *lens.Reader, st *article.Story, l *lens.Lens, numRe *regexp.Regexp) {
	t.Helper()
	focus := map[string]float64{}
	for _, f := range st.Focus {
		if f.Kind == "country" {
			focus[f.Country] = f.Weight
		}
	}
	at := st.LastSeen
	if at.IsZero() {
		at = time.Now()
	}
	var evText strings.Builder
	for _, e := range l.Evidence {
		evText.WriteString(e.Text + "\n")
		switch e.Kind {
		case "border":
			ok := false
			for _, b := range g.Neighbours(e.Countries[0]) {
				ok = ok || b.Country == e.Countries[1] && b.LengthKm == e.Km
			}
			if !ok || !slices.Contains(r.Countries, e.Countries[0]) {
				t.Errorf("%s: false border fact %q", st.ID, e.Text)
			}
		case "distance":
			want := trueDistance(t, g, r, e)
			if math.Abs(e.Km-want) > max(0.10*want, 25) {
				t.Errorf("%s: %q says %.0f km, recomputed %.0f km", st.ID, e.Text, e.Km, want)
			}
		case "region":
			if len(e.Places) > 0 {
				p, ok := g.Place(e.Places[0])
				if !ok || !slices.Contains(p.Members, e.Countries[0]) {
					t.Errorf("%s: false region fact %q", st.ID, e.Text)
				}
			} else {
				for _, c := range e.Countries[1:] {
					if g.Subregion(c) != g.Subregion(e.Countries[0]) || g.Subregion(c) == "" {
						t.Errorf("%s: false sub-region fact %q", st.ID, e.Text)
					}
				}
			}
		case "bloc":
			members := g.BlocMembers(e.Bloc, at)
			if !slices.Contains(members, e.Countries[0]) || !slices.Contains(members, e.Countries[1]) {
				t.Errorf("%s: false bloc fact %q (members at %s: %v)", st.ID, e.Text, at.Format("2006-01-02"), members)
			}
		case "party":
			if e.Entity != "" {
				if !slices.ContainsFunc(st.Entities, func(x article.StoryEntity) bool {
					return x.Canonical == e.Entity && x.Country == e.Countries[0]
				}) {
					t.Errorf("%s: party fact %q has no such entity", st.ID, e.Text)
				}
			} else if math.Abs(focus[e.Countries[0]]-e.Weight) > 1e-9 {
				t.Errorf("%s: party weight %q, focus has %v", st.ID, e.Text, focus[e.Countries[0]])
			}
		case "mention":
			if math.Abs(focus[e.Countries[0]]-e.Weight) > 1e-9 {
				t.Errorf("%s: mention weight %q, focus has %v", st.ID, e.Text, focus[e.Countries[0]])
			}
		}
	}
	// tiers agree with the facts
	inFocus := false
	for _, c := range r.Countries {
		inFocus = inFocus || focus[c] >= 0.1
	}
	switch l.Tier {
	case lens.Neighbour:
		if !slices.ContainsFunc(l.Evidence, func(e lens.Evidence) bool { return e.Kind == "border" }) {
			t.Errorf("%s: neighbour without a border fact", st.ID)
		}
	case lens.Distant:
		for _, c := range r.Countries {
			for _, b := range g.Neighbours(c) {
				if focus[b.Country] >= 0.3 {
					t.Errorf("%s: distant, but %s borders focus country %s (%.2f)", st.ID, c, b.Country, focus[b.Country])
				}
			}
		}
	case lens.Party:
		if !slices.ContainsFunc(l.Evidence, func(e lens.Evidence) bool { return e.Kind == "party" }) {
			t.Errorf("%s: party without a party fact", st.ID)
		}
	}
	// every number in the text is in the evidence
	for _, n := range numRe.FindAllString(l.Text, -1) {
		if !strings.Contains(evText.String(), n) {
			t.Errorf("%s: number %s in %q is in no evidence", st.ID, n, l.Text)
		}
	}
	for _, s := range l.Sentences {
		if len(s.Evidence) == 0 {
			t.Errorf("%s: sentence without evidence: %q", st.ID, s.Text)
		}
	}
}

// trueDistance recomputes a distance fact by brute force over vertices.
func trueDistance(t *testing.T, g *gazetteer.Gazetteer, r *lens.Reader, e lens.Evidence) float64 {
	t.Helper()
	lat, lon := r.Place.Lat, r.Place.Lon
	best := math.Inf(1)
	switch e.Geometry {
	case "city":
		p, ok := g.Place(e.Places[len(e.Places)-1])
		if !ok {
			t.Fatalf("distance to unknown place %v", e.Places)
		}
		return gazetteer.DistanceKm(lat, lon, p.Lat, p.Lon)
	case "border":
		for _, line := range g.SharedBorder(e.Countries[0], e.Countries[1]) {
			for _, p := range line {
				best = min(best, gazetteer.DistanceKm(lat, lon, p[0], p[1]))
			}
		}
	case "country":
		if g.Contains(e.Countries[0], lat, lon) {
			return 0
		}
		c, _ := g.Country(e.Countries[0])
		for _, ring := range c.Rings() {
			for _, p := range ring {
				best = min(best, gazetteer.DistanceKm(lat, lon, p[0], p[1]))
			}
		}
	default:
		t.Fatalf("distance fact without geometry: %+v", e)
	}
	if math.IsInf(best, 1) {
		t.Fatalf("no geometry for %+v", e)
	}
	return best
}
