// Package lens is the last step of the pipeline: for a reader's place and
// interests it relates every story to the place (here, national, party,
// neighbour, nearby, regional, tied or distant) from the story's focus, the
// places and actors it names and the gazetteer's facts (borders, distances,
// regions, bloc memberships), ranks the stories by a documented score, and
// writes for each a short local lens whose every sentence cites its evidence.
// An optional Writer backed by an OpenAI-compatible model may polish the
// prose; its output is checked against the evidence.
package lens

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Reader is a reader's place resolved against the gazetteer.
type Reader struct {
	Place *gazetteer.Place
	// Countries are the reader's countries: the place's own, or the member
	// countries of a region ("Gulf states", "Kurdistan").
	Countries []string
	// Label is how the lens names the place ("Istanbul").
	Label string
}

// Country returns the reader's single country, or "" for a multi-country region.
func (r *Reader) Country() string {
	if len(r.Countries) == 1 {
		return r.Countries[0]
	}
	return ""
}

// PlaceError explains why a place could not be resolved: it is ambiguous
// (Candidates) or unknown (Suggestions).
type PlaceError struct {
	Query       string
	Candidates  []*gazetteer.Place
	Suggestions []*gazetteer.Place
	g           *gazetteer.Gazetteer
}

func (e *PlaceError) Error() string {
	var b strings.Builder
	if len(e.Candidates) > 0 {
		fmt.Fprintf(&b, "place %q is ambiguous; say which one (\"Name, Country\" or a GeoNames ID):", e.Query)
		for _, p := range e.Candidates {
			fmt.Fprintf(&b, "\n  %d  %s", p.ID, describe(e.g, p))
		}
		return b.String()
	}
	fmt.Fprintf(&b, "unknown place %q", e.Query)
	if len(e.Suggestions) > 0 {
		b.WriteString("; did you mean:")
		for _, p := range e.Suggestions {
			fmt.Fprintf(&b, "\n  %d  %s", p.ID, describe(e.g, p))
		}
	}
	return b.String()
}

func describe(g *gazetteer.Gazetteer, p *gazetteer.Place) string { return p.Describe(g) }

// ResolvePlace finds the reader's place the way people write it: a name
// ("Istanbul"), a name with a qualifier ("Paris, Texas", "Istanbul, Turkey"),
// a region ("Kurdistan", "Gulf states"), a GeoNames ID, or "lat,lon". An
// ambiguous or unknown name is a *PlaceError.
func ResolvePlace(g *gazetteer.Gazetteer, query string) (*Reader, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, fmt.Errorf("no place given")
	}
	if id, err := strconv.ParseInt(q, 10, 64); err == nil {
		p, ok := g.Place(id)
		if !ok {
			return nil, &PlaceError{Query: q, g: g}
		}
		return newReader(g, p), nil
	}
	if lat, lon, ok := parseLatLon(q); ok {
		return pointReader(g, lat, lon), nil
	}
	name, qual := q, ""
	if i := strings.LastIndex(q, ","); i > 0 {
		name, qual = strings.TrimSpace(q[:i]), strings.TrimSpace(q[i+1:])
	}
	cands := g.Lookup(name)
	if qual != "" {
		cands = qualify(g, cands, qual)
	}
	if len(cands) == 0 {
		return nil, &PlaceError{Query: q, Suggestions: g.Search(name, 5), g: g}
	}
	best, rivals := choose(cands)
	if len(rivals) > 0 {
		return nil, &PlaceError{Query: q, Candidates: append([]*gazetteer.Place{best}, rivals...), g: g}
	}
	return newReader(g, best), nil
}

func parseLatLon(s string) (float64, float64, bool) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

// qualify keeps the candidates inside the place a qualifier names: a country
// (name or ISO code) or a first-level region ("Texas", "TX").
func qualify(g *gazetteer.Gazetteer, cands []*gazetteer.Place, qual string) []*gazetteer.Place {
	countries := map[string]bool{}
	admins := map[[2]string]bool{}
	if len(qual) == 2 {
		if _, ok := g.Country(strings.ToUpper(qual)); ok {
			countries[strings.ToUpper(qual)] = true
		}
	}
	for _, p := range g.Lookup(qual) {
		switch p.Kind {
		case gazetteer.KindCountry:
			countries[p.Country] = true
		case gazetteer.KindAdmin1:
			admins[[2]string{p.Country, p.Admin1}] = true
		}
	}
	var out []*gazetteer.Place
	for _, c := range cands {
		if countries[c.Country] || admins[[2]string{c.Country, c.Admin1}] {
			out = append(out, c)
		}
	}
	return out
}

// choose picks the place a bare name most likely means: a country, region or
// hotspot before anything else; otherwise the most populous place, unless
// another place of that name far from it is at least a tenth as populous
// (those are returned as rivals: the name is ambiguous).
func choose(cands []*gazetteer.Place) (*gazetteer.Place, []*gazetteer.Place) {
	for _, c := range cands {
		switch c.Kind {
		case gazetteer.KindCountry, gazetteer.KindRegion, gazetteer.KindHotspot, gazetteer.KindContinent:
			return c, nil
		}
	}
	ranked := slices.Clone(cands)
	slices.SortStableFunc(ranked, func(a, b *gazetteer.Place) int {
		if a.Population != b.Population {
			if a.Population > b.Population {
				return -1
			}
			return 1
		}
		// a city before the region of the same size (Istanbul the city, not the province)
		return int(kindRank(a.Kind)) - int(kindRank(b.Kind))
	})
	best := ranked[0]
	// a city of the same name as its own province is the same place for a reader
	if best.Kind == gazetteer.KindAdmin1 {
		for _, c := range ranked[1:] {
			if c.Kind == gazetteer.KindCity && c.Country == best.Country && c.Admin1 == best.Admin1 && c.Population*4 >= best.Population {
				best = c
				break
			}
		}
	}
	var rivals []*gazetteer.Place
	for _, c := range ranked {
		if c == best || c.Population*10 < best.Population || c.Population == 0 {
			continue
		}
		if c.Country == best.Country && gazetteer.DistanceKm(c.Lat, c.Lon, best.Lat, best.Lon) < 100 {
			continue // the same place as a city and as a region
		}
		rivals = append(rivals, c)
		if len(rivals) == 6 {
			break
		}
	}
	return best, rivals
}

func kindRank(k gazetteer.Kind) int {
	switch k {
	case gazetteer.KindCity:
		return 0
	case gazetteer.KindAdmin2:
		return 1
	case gazetteer.KindAdmin1:
		return 2
	}
	return 3
}

func newReader(g *gazetteer.Gazetteer, p *gazetteer.Place) *Reader {
	r := &Reader{Place: p, Label: p.Name}
	switch {
	case p.Country != "":
		r.Countries = []string{p.Country}
	case len(p.Members) > 0:
		r.Countries = slices.Clone(p.Members)
	}
	if p.Kind == gazetteer.KindCountry {
		r.Label = countryName(g, p.Country)
	}
	if (p.Kind == gazetteer.KindRegion || p.Kind == gazetteer.KindHotspot) && (strings.Contains(p.Name, " ") || strings.HasSuffix(p.Name, "s")) &&
		!strings.HasPrefix(p.Name, "The ") {
		r.Label = "the " + p.Name // the Gulf states, the Middle East, the Balkans
	}
	return r
}

// pointReader makes a reader place of a coordinate, named after the nearest
// populated place within 50 km when there is one.
func pointReader(g *gazetteer.Gazetteer, lat, lon float64) *Reader {
	p := &gazetteer.Place{Name: fmt.Sprintf("%.4f,%.4f", lat, lon), Kind: gazetteer.KindCity, Lat: lat, Lon: lon}
	if c, ok := g.CountryAt(lat, lon); ok {
		p.Country = c.ISO2
	}
	bestKm := 50.0
	var near *gazetteer.Place
	for q := range g.Places() {
		if q.Kind != gazetteer.KindCity || math.Abs(q.Lat-lat) > 0.5 || q.Population < 1000 {
			continue
		}
		if km := gazetteer.DistanceKm(lat, lon, q.Lat, q.Lon); km < bestKm {
			bestKm, near = km, q
		}
	}
	r := &Reader{Place: p, Label: "the point " + p.Name}
	if near != nil {
		// a point in a town reads as the town; further out, as near it
		r.Label = near.Name
		if bestKm > 10 {
			r.Label = "the point near " + near.Name
		}
		if p.Country == "" {
			p.Country = near.Country
		}
		p.Admin1 = near.Admin1
	}
	if p.Country != "" {
		r.Countries = []string{p.Country}
	}
	return r
}

func thousands(n int64) string { return gazetteer.GroupThousands(n) }
