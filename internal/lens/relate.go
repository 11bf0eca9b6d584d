package lens

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Tier is how a story touches a place, strongest first.
type Tier string

// Tiers, from the strongest relation to none.
const (
	Here      Tier = "here"      // the story's focus is inside the reader's place
	National  Tier = "national"  // focus elsewhere in the reader's country
	Party     Tier = "party"     // the reader's country or its people act in the story
	Neighbour Tier = "neighbour" // the reader's country borders a focus country
	Nearby    Tier = "nearby"    // the focus is within Options.NearbyKm
	Regional  Tier = "regional"  // same UN sub-region, or a named region that includes the reader
	Tied      Tier = "tied"      // a bloc that matters for the topic, or frequent co-mention
	Distant   Tier = "distant"   // none of these: largely unaffected
)

// Tiers lists every tier, strongest first.
var Tiers = []Tier{Here, National, Party, Neighbour, Nearby, Regional, Tied, Distant}

func (t Tier) rank() int { return slices.Index(Tiers, t) }

// ParseTier checks a tier name.
func ParseTier(s string) (Tier, error) {
	for _, t := range Tiers {
		if string(t) == s {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown tier %q (tiers: here, national, party, neighbour, nearby, regional, tied, distant)", s)
}

// Evidence is one checkable fact behind a lens.
type Evidence struct {
	Kind      string   `json:"kind"` // focus, border, distance, party, mention, region, bloc, co-mention, actor, topic
	Text      string   `json:"text"` // the fact in words
	Countries []string `json:"countries,omitempty"`
	Places    []int64  `json:"places,omitempty"` // GeoNames IDs
	Km        float64  `json:"km,omitempty"`
	Geometry  string   `json:"geometry,omitempty"` // what a distance is measured to: city, country or border
	Weight    float64  `json:"weight,omitempty"`   // a focus weight
	Bloc      string   `json:"bloc,omitempty"`
	Entity    string   `json:"entity,omitempty"`
	Role      string   `json:"role,omitempty"`
	Count     int      `json:"count,omitempty"`
	ArticleID string   `json:"article_id,omitempty"`
}

// Relation is how one story relates to a reader's place.
type Relation struct {
	Tier Tier   `json:"tier"`
	Also []Tier `json:"also,omitempty"` // other tiers the story meets
	// Km is the distance from the reader's point to the nearest point of the
	// story's focus geometry (a city, a country's polygon, a shared border);
	// -1 when unknown.
	Km       float64    `json:"km"`
	Evidence []Evidence `json:"evidence"`

	focus   []string // focus countries, heaviest first
	border  [2]string
	geomTxt string // what Km was measured to
}

// Options tune relations and ranking.
type Options struct {
	NearbyKm float64 // default 500
	// MinCoMentions is how many other stories must share the reader's country
	// and a focus country for the tie to count (default 3).
	MinCoMentions int
	Weights       Weights
}

func (o Options) withDefaults() Options {
	if o.NearbyKm <= 0 {
		o.NearbyKm = 500
	}
	if o.MinCoMentions <= 0 {
		o.MinCoMentions = 3
	}
	o.Weights = o.Weights.withDefaults()
	return o
}

// view is the part of a story relations need, computed once per story.
type view struct {
	countries []article.CountryWeight // country-level focus, heaviest first
	focus     []string                // focus countries: weight ≥ half the top one
	places    []article.Focus         // focus cities and admin-1 regions of focus countries
	regions   []int64                 // regions and hotspots the story names
	actors    []article.StoryEntity   // people and organisations linked to a country
	border    bool                    // the headline or summary is about a border
	at        time.Time
	blocs     map[string]bool // blocs that matter for the story's topics
}

var borderWords = regexp.MustCompile(`(?i)\bborders?\b|\bfrontier\b|\bboundary\b`)

func newView(st *article.Story) *view {
	v := &view{at: st.LastSeen}
	for _, f := range st.Focus {
		if f.Kind == "country" && f.Country != "" {
			v.countries = append(v.countries, article.CountryWeight{Country: f.Country, Weight: f.Weight})
		}
	}
	slices.SortFunc(v.countries, func(a, b article.CountryWeight) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Country, b.Country))
	})
	for _, c := range v.countries {
		if c.Weight >= v.countries[0].Weight/2 && c.Weight >= 0.1 {
			v.focus = append(v.focus, c.Country)
		}
	}
	top := map[string]float64{}
	for _, f := range st.Focus {
		if f.Kind != "country" && slices.Contains(v.focus, f.Country) {
			top[f.Kind] = max(top[f.Kind], f.Weight)
		}
	}
	for _, f := range st.Focus {
		if f.Kind != "country" && slices.Contains(v.focus, f.Country) && f.Weight >= top[f.Kind]/2 && f.Weight >= 0.2 {
			v.places = append(v.places, f)
		}
	}
	for _, p := range st.Places {
		if p.Kind == "region" || p.Kind == "hotspot" {
			v.regions = append(v.regions, p.GeonameID)
		}
	}
	for _, e := range st.Entities {
		if (e.Country != "" || e.Type == "PER" && e.Role != "") && plausibleActor(e) {
			v.actors = append(v.actors, e)
		}
	}
	v.border = borderWords.MatchString(st.Headline) || borderWords.MatchString(st.Summary)
	v.blocs = topicBlocs(st.Topics)
	return v
}

// relator computes relations for one reader, caching the geometry it measures.
type relator struct {
	g      *gazetteer.Gazetteer
	r      *Reader
	o      Options
	coMent func(a, b string) int // stories with both countries in focus; nil: none known

	countryKm map[string]float64
	borderKm  map[[2]string]float64
	dist      *distCache // shared across relators of one engine
	shared    map[[2]string][]blocSpan
	borders   map[string][]gazetteer.Border
	// quiet computes tiers and distances only, no evidence, stopping at the
	// strongest tier (ranking); the shown stories are related again in full.
	quiet bool
}

func newRelator(g *gazetteer.Gazetteer, r *Reader, o Options, coMent func(a, b string) int, dist *distCache) *relator {
	if dist == nil {
		dist = newDistCache()
	}
	return &relator{g: g, r: r, o: o.withDefaults(), coMent: coMent, dist: dist,
		countryKm: map[string]float64{}, borderKm: map[[2]string]float64{}, shared: map[[2]string][]blocSpan{},
		borders: map[string][]gazetteer.Border{}}
}

// blocSpan is a time both countries of a pair belonged to a bloc.
type blocSpan struct {
	bloc     string
	from, to time.Time // to is zero while both are members
}

func (b blocSpan) active(t time.Time) bool {
	return !t.Before(b.from) && (b.to.IsZero() || t.Before(b.to))
}

// sharedBlocs returns the spans in which countries a and b were members of
// the same bloc, cached per pair.
func (rl *relator) sharedBlocs(a, b string) []blocSpan {
	k := [2]string{a, b}
	if sp, ok := rl.shared[k]; ok {
		return sp
	}
	sp := rl.dist.sharedBlocs(rl.g, a, b)
	rl.shared[k] = sp
	return sp
}

// sharedBlocs computes (once per pair, for every relator) the spans in which
// a and b were members of the same bloc.
func (c *distCache) sharedBlocs(g *gazetteer.Gazetteer, a, b string) []blocSpan {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byCountry == nil {
		c.byCountry = map[string][]gazetteer.Membership{}
		c.pairs = map[[2]string][]blocSpan{}
		for _, bloc := range g.BlocNames() {
			for _, m := range g.BlocHistory(bloc) {
				c.byCountry[m.Country] = append(c.byCountry[m.Country], m)
			}
		}
	}
	k := [2]string{a, b}
	if sp, ok := c.pairs[k]; ok {
		return sp
	}
	var out []blocSpan
	for _, x := range c.byCountry[a] {
		for _, y := range c.byCountry[b] {
			if x.Bloc != y.Bloc {
				continue
			}
			from := x.Joined
			if y.Joined.After(from) {
				from = y.Joined
			}
			to := x.Left
			if to.IsZero() || !y.Left.IsZero() && y.Left.Before(to) {
				to = y.Left
			}
			if to.IsZero() || from.Before(to) {
				out = append(out, blocSpan{bloc: x.Bloc, from: from, to: to})
			}
		}
	}
	c.pairs[k] = out
	return out
}

// neighbours returns a country's land borders, cached.
func (rl *relator) neighbours(iso string) []gazetteer.Border {
	if bs, ok := rl.borders[iso]; ok {
		return bs
	}
	bs := rl.g.Neighbours(iso)
	rl.borders[iso] = bs
	return bs
}

func (rl *relator) inReader(country string) bool { return slices.Contains(rl.r.Countries, country) }

func (rl *relator) kmToCountry(iso string) float64 {
	if km, ok := rl.countryKm[iso]; ok {
		return km
	}
	key := distKey{lat: rl.r.Place.Lat, lon: rl.r.Place.Lon, a: iso}
	if km, ok := rl.dist.get(key); ok {
		rl.countryKm[iso] = km
		return km
	}
	p := rl.r.Place
	km := -1.0
	if p.HasPoint() {
		if rl.g.Contains(iso, p.Lat, p.Lon) {
			km = 0
		} else if _, _, d, ok := rl.g.NearestPointOnCountry(iso, p.Lat, p.Lon); ok {
			km = d
		} else if c, ok := rl.g.Country(iso); ok && c.Place != nil && c.Place.HasPoint() {
			km = gazetteer.DistanceKm(p.Lat, p.Lon, c.Place.Lat, c.Place.Lon)
		}
	}
	rl.countryKm[iso] = km
	rl.dist.put(key, km)
	return km
}

func (rl *relator) kmToBorder(a, b string) float64 {
	k := [2]string{min(a, b), max(a, b)}
	if km, ok := rl.borderKm[k]; ok {
		return km
	}
	key := distKey{lat: rl.r.Place.Lat, lon: rl.r.Place.Lon, a: k[0], b: k[1]}
	if km, ok := rl.dist.get(key); ok {
		rl.borderKm[k] = km
		return km
	}
	km := -1.0
	if p := rl.r.Place; p.HasPoint() {
		if d, ok := rl.g.DistanceToSharedBorderKm(a, b, p.Lat, p.Lon); ok {
			km = d
		}
	}
	rl.borderKm[k] = km
	rl.dist.put(key, km)
	return km
}

func (rl *relator) countryName(iso string) string { return countryName(rl.g, iso) }

// countryName is a country's short English name as a sentence uses it
// ("the United States", "Turkey").
func countryName(g *gazetteer.Gazetteer, iso string) string {
	c, ok := g.Country(iso)
	if !ok {
		return iso
	}
	n := c.Name
	switch {
	case strings.HasPrefix(n, "United "), strings.HasPrefix(n, "Republic "), strings.HasPrefix(n, "Democratic "),
		strings.HasPrefix(n, "Central African"), strings.HasSuffix(n, " Islands"), strings.HasSuffix(n, "lands"),
		n == "Philippines", n == "Bahamas", n == "Gambia", n == "Czech Republic", n == "Dominican Republic", n == "Maldives":
		return "the " + n
	}
	return n
}

// relate works out the relation of one story, with its evidence.
func (rl *relator) relate(st *article.Story, v *view) Relation {
	rel := Relation{Km: -1, focus: v.focus}
	var met tierSet
	g, r := rl.g, rl.r
	p := r.Place
	names := func(isos []string) []string {
		out := make([]string, len(isos))
		for i, c := range isos {
			out[i] = rl.countryName(c)
		}
		return out
	}
	if len(v.focus) == 0 && !rl.quiet {
		rel.Evidence = append(rel.Evidence, Evidence{Kind: "focus", Text: "no place in the story could be located"})
	}
	if len(v.focus) > 0 && !rl.quiet {
		ws := make([]string, 0, len(v.focus))
		for _, c := range v.focus {
			ws = append(ws, fmt.Sprintf("%s (%.0f%%)", rl.countryName(c), 100*weightOf(v.countries, c)))
		}
		if !rl.quiet {
			rel.Evidence = append(rel.Evidence, Evidence{Kind: "focus", Countries: slices.Clone(v.focus),
				Text: "the story's place weight falls on " + joinAnd(ws)})
		}
	}

	// here and national
	for _, f := range v.places {
		if !rl.inReader(f.Country) {
			continue
		}
		fp, ok := g.Place(f.GeonameID)
		if !ok {
			continue
		}
		inside := false
		switch {
		case p.ID != 0 && fp.ID == p.ID:
			inside = true
		case p.Kind == gazetteer.KindCity && fp.Kind == gazetteer.KindCity && p.HasPoint() &&
			gazetteer.DistanceKm(p.Lat, p.Lon, fp.Lat, fp.Lon) <= 25:
			inside = true
		case p.Kind == gazetteer.KindAdmin1 && fp.Country == p.Country && fp.Admin1 == p.Admin1:
			inside = true
		case p.Kind == gazetteer.KindCity && fp.Kind == gazetteer.KindAdmin1 && fp.Country == p.Country && fp.Admin1 == p.Admin1 &&
			(gazetteer.Normalize(fp.Name) == gazetteer.Normalize(p.Name) || fp.HasPoint() && gazetteer.DistanceKm(p.Lat, p.Lon, fp.Lat, fp.Lon) <= 30):
			inside = true // a capital region named after the city (Ulaanbaatar, Istanbul province)
		}
		if inside {
			met.set(Here)
			if !rl.quiet {
				rel.Evidence = append(rel.Evidence, Evidence{Kind: "focus", Places: []int64{fp.ID}, Weight: f.Weight,
					Text: fmt.Sprintf("%s carries %.0f%% of the weight among the %s the story names", fp.Name, 100*f.Weight, levelNoun(f.Kind))})
			}
		}
	}
	for _, c := range v.focus {
		if !rl.inReader(c) {
			continue
		}
		if p.Kind == gazetteer.KindCountry {
			met.set(Here)
			continue
		}
		if len(r.Countries) > 1 {
			// a region across countries: the story is here when it names
			// the region itself, else it is in one of the region's countries
			named := false
			for _, id := range v.regions {
				named = named || id == p.ID
			}
			if named {
				met.set(Here)
				if !rl.quiet {
					rel.Evidence = append(rel.Evidence, Evidence{Kind: "focus", Places: []int64{p.ID}, Countries: []string{c},
						Text: fmt.Sprintf("the story names %s and centres on %s (%.0f%% of the place weight)", r.Label, rl.countryName(c), 100*weightOf(v.countries, c))})
				}
				continue
			}
			met.set(National)
			if !rl.quiet {
				rel.Evidence = append(rel.Evidence, Evidence{Kind: "focus", Places: []int64{p.ID}, Countries: []string{c}, Weight: weightOf(v.countries, c),
					Text: fmt.Sprintf("%s, one of the countries of %s, is a focus country (%.0f%% of the place weight)", rl.countryName(c), r.Label, 100*weightOf(v.countries, c))})
			}
			continue
		}
		if !met.has(Here) {
			met.set(National)
			where := ""
			for _, f := range v.places {
				if f.Country == c && (f.Kind == "admin1" || where == "") {
					where = f.Name
				}
			}
			if !rl.quiet {
				e := Evidence{Kind: "focus", Countries: []string{c}, Weight: weightOf(v.countries, c),
					Text: fmt.Sprintf("%s is a focus country (%.0f%% of the place weight)", rl.countryName(c), 100*weightOf(v.countries, c))}
				if where != "" {
					e.Text += ", centred on " + where
				}
				rel.Evidence = append(rel.Evidence, e)
			}
		}
	}

	if rl.quiet && (met.has(Here) || met.has(National)) {
		return rl.finish(rel, met)
	}

	// party: the reader's country acts in the story, or carries real weight
	for _, c := range r.Countries {
		if slices.Contains(v.focus, c) {
			continue
		}
		var actors []article.StoryEntity
		for _, e := range v.actors {
			if e.Country == c && c != "" {
				actors = append(actors, e)
			}
		}
		w := weightOf(v.countries, c)
		switch {
		case len(actors) > 0:
			met.set(Party)
			for _, a := range actors[:min(len(actors), 3)] {
				txt := a.Canonical
				if a.Role != "" {
					txt = a.Role + " " + a.Canonical
				}
				if !rl.quiet {
					rel.Evidence = append(rel.Evidence, Evidence{Kind: "party", Countries: []string{c}, Entity: a.Canonical, Role: a.Role,
						Text: fmt.Sprintf("%s %s is named in the story", possessive(rl.countryName(c)), txt)})
				}
			}
		case w >= 0.15:
			met.set(Party)
			if !rl.quiet {
				rel.Evidence = append(rel.Evidence, Evidence{Kind: "party", Countries: []string{c}, Weight: w,
					Text: fmt.Sprintf("%s carries %.0f%% of the story's place weight", rl.countryName(c), 100*w)})
			}
		case w > 0:
			txt := fmt.Sprintf("%s is named only in passing (%.0f%% of the place weight)", rl.countryName(c), 100*w)
			if n := countryMentions(g, st, c); n > 2 && w >= 0.05 {
				txt = fmt.Sprintf("%s is named %d times but is not a focus (%.0f%% of the place weight)", rl.countryName(c), n, 100*w)
			}
			if !rl.quiet {
				rel.Evidence = append(rel.Evidence, Evidence{Kind: "mention", Countries: []string{c}, Weight: w, Count: countryMentions(g, st, c), Text: txt})
			}
		}
	}

	if rl.quiet && met.has(Party) {
		return rl.finish(rel, met)
	}

	// neighbour: land borders with focus countries
	for _, c := range r.Countries {
		for _, b := range rl.neighbours(c) {
			if !slices.Contains(v.focus, b.Country) || rl.inReader(b.Country) {
				continue
			}
			met.set(Neighbour)
			if rl.quiet {
				break
			}
			e := Evidence{Kind: "border", Countries: []string{c, b.Country}, Km: b.LengthKm,
				Text: fmt.Sprintf("%s shares a land border with %s", rl.countryName(c), rl.countryName(b.Country))}
			if b.LengthKm > 0 {
				e.Text += fmt.Sprintf(" (%s km long)", thousands(int64(math.Round(b.LengthKm))))
			}
			rel.Evidence = append(rel.Evidence, e)
		}
	}

	// distance to the focus geometry
	if p.HasPoint() && len(v.focus) > 0 && !met.has(Here) {
		km, what := -1.0, ""
		geo := Evidence{Kind: "distance"}
		if len(v.focus) >= 2 && v.border {
			a, b := v.focus[0], v.focus[1]
			if d := rl.kmToBorder(a, b); d >= 0 {
				km, what = d, fmt.Sprintf("the nearest point of the %s–%s border", rl.countryName(a), rl.countryName(b))
				rel.border = [2]string{a, b}
				geo.Geometry, geo.Countries = "border", []string{a, b}
			}
		}
		if km < 0 {
			// the nearest focus country: at its focus city when the story
			// centres on one, else at the nearest point of its polygon
			for _, c := range v.focus {
				if rl.inReader(c) {
					continue
				}
				d, txt, e := -1.0, "", Evidence{Kind: "distance"}
				for _, f := range v.places {
					if f.Kind == "city" && f.Country == c {
						if fp, ok := g.Place(f.GeonameID); ok && fp.HasPoint() {
							d, txt = gazetteer.DistanceKm(p.Lat, p.Lon, fp.Lat, fp.Lon), fp.Name
							if !rl.quiet {
								e.Geometry, e.Places = "city", []int64{fp.ID}
							}
							break
						}
					}
				}
				if d < 0 {
					if d = rl.kmToCountry(c); d >= 0 && !rl.quiet {
						txt = "the nearest point of " + rl.countryName(c)
						e.Geometry, e.Countries = "country", []string{c}
					}
				}
				if d >= 0 && (km < 0 || d < km) {
					km, what, geo = d, txt, e
				}
			}
		}
		if km >= 0 {
			rel.Km, rel.geomTxt = km, what
			if !rl.quiet {
				geo.Km = math.Round(km)
				geo.Text = fmt.Sprintf("%s is about %s km from %s", r.Label, thousands(roundKm(km)), what)
				if p.ID != 0 {
					geo.Places = append([]int64{p.ID}, geo.Places...)
				}
				rel.Evidence = append(rel.Evidence, geo)
			}
			if km <= rl.o.NearbyKm && !met.has(National) {
				met.set(Nearby)
			}
		}
	}

	if rl.quiet && (met.has(Neighbour) || met.has(Nearby)) {
		return rl.finish(rel, met)
	}

	// regional: same UN sub-region, or a named region that includes the reader
	for _, c := range r.Countries {
		sub := g.Subregion(c)
		var same []string
		for _, f := range v.focus {
			if f != c && sub != "" && g.Subregion(f) == sub && !rl.inReader(f) {
				same = append(same, f)
			}
		}
		if len(same) > 0 {
			met.set(Regional)
			if !rl.quiet {
				rel.Evidence = append(rel.Evidence, Evidence{Kind: "region", Countries: append([]string{c}, same...),
					Text: fmt.Sprintf("%s are %s in %s (UN M49 sub-region)", joinAnd(names(append([]string{c}, same...))), bothOrAll(len(same)+1), sub)})
			}
		}
		for _, id := range v.regions {
			rp, ok := g.Place(id)
			if ok && slices.Contains(rp.Members, c) {
				met.set(Regional)
				if !rl.quiet {
					rel.Evidence = append(rel.Evidence, Evidence{Kind: "region", Places: []int64{id}, Countries: []string{c},
						Text: fmt.Sprintf("the story names %s, which includes %s", rp.Name, rl.countryName(c))})
				}
			}
		}
	}

	if rl.quiet && met.has(Regional) {
		return rl.finish(rel, met)
	}

	// tied: blocs that matter for the topic, frequent co-mention
	blocs := v.blocs
	at := v.at
	if at.IsZero() {
		at = time.Now()
	}
	for _, c := range r.Countries {
		for _, f := range v.focus {
			if rl.inReader(f) {
				continue
			}
			for _, sp := range rl.sharedBlocs(c, f) {
				if b := sp.bloc; blocs[b] && sp.active(at) {
					met.set(Tied)
					if !rl.quiet {
						rel.Evidence = append(rel.Evidence, Evidence{Kind: "bloc", Bloc: b, Countries: []string{c, f},
							Text: fmt.Sprintf("%s and %s are both members of %s", rl.countryName(c), rl.countryName(f), blocName(b))})
					}
				}
			}
			if rl.coMent != nil {
				n := rl.coMent(c, f)
				if slices.Contains(v.focus, c) {
					n-- // this story itself
				}
				if n >= rl.o.MinCoMentions {
					met.set(Tied)
					if !rl.quiet {
						rel.Evidence = append(rel.Evidence, Evidence{Kind: "co-mention", Count: n, Countries: []string{c, f},
							Text: fmt.Sprintf("%s and %s share the focus of %d other stories", rl.countryName(c), rl.countryName(f), n)})
					}
				}
			}
		}
	}

	rel = rl.finish(rel, met)
	if rl.quiet {
		return rel
	}
	// actors give the lens its who
	people := 0
	var named []string
	for _, e := range v.actors {
		if e.Type != "PER" || people == 4 || sameActor(named, e.Canonical) {
			continue
		}
		named = append(named, gazetteer.Normalize(e.Canonical))
		people++
		var cs []string
		if e.Country != "" {
			cs = []string{e.Country}
		}
		if !rl.quiet {
			role := e.Role
			if !titleLike(role) {
				role = ""
			}
			rel.Evidence = append(rel.Evidence, Evidence{Kind: "actor", Entity: e.Canonical, Role: role, Countries: cs,
				Text: actorText(rl, e)})
		}
	}
	return rel
}

// tierSet is a set of tiers.
type tierSet uint16

func (s *tierSet) set(t Tier)     { *s |= 1 << t.rank() }
func (s tierSet) has(t Tier) bool { return s&(1<<t.rank()) != 0 }

// finish sets the tier to the strongest met and lists the others.
func (rl *relator) finish(rel Relation, met tierSet) Relation {
	rel.Tier = Distant
	for _, t := range Tiers {
		if met.has(t) {
			if rel.Tier == Distant {
				rel.Tier = t
			} else {
				rel.Also = append(rel.Also, t)
			}
		}
	}
	return rel
}

func actorText(rl *relator, e article.StoryEntity) string {
	s := e.Canonical
	if e.Country != "" {
		s = possessive(rl.countryName(e.Country)) + " " + e.Canonical
	}
	if titleLike(e.Role) {
		s += " (" + e.Role + ")"
	}
	return s
}

func weightOf(cs []article.CountryWeight, c string) float64 {
	for _, x := range cs {
		if x.Country == c {
			return x.Weight
		}
	}
	return 0
}

// roundKm rounds a distance the way the lens says it: to 10 km above 100 km.
func roundKm(km float64) int64 {
	if km >= 100 {
		return int64(math.Round(km/10) * 10)
	}
	return int64(math.Round(km))
}

// topicBlocs are the blocs whose membership matters for a story's topics:
// alliances for security, economic blocs for the economy, political unions
// and councils for politics and diplomacy.
func topicBlocs(ts []article.Topic) map[string]bool {
	out := map[string]bool{}
	for _, t := range ts {
		if t.Score < 0.3 {
			continue
		}
		switch t.Slug {
		case "conflict-war-peace", "crime-law-justice":
			for _, b := range []string{"NATO", "SCO", "GCC", "AU", "LAS", "ASEAN"} {
				out[b] = true
			}
		case "economy-business-finance", "labour":
			for _, b := range []string{"EU", "OPEC", "G7", "G20", "GCC", "ASEAN", "BRICS"} {
				out[b] = true
			}
		case "politics", "policy-and-legislation", "diplomacy", "elections":
			for _, b := range []string{"EU", "AU", "LAS", "ASEAN", "GCC", "G7", "BRICS", "SCO"} {
				out[b] = true
			}
		case "environment", "health":
			for _, b := range []string{"EU", "AU", "ASEAN"} {
				out[b] = true
			}
		}
	}
	return out
}

func blocName(b string) string {
	switch b {
	case "EU":
		return "the EU"
	case "AU":
		return "the African Union"
	case "LAS":
		return "the Arab League"
	case "GCC":
		return "the Gulf Cooperation Council"
	case "NATO", "OPEC", "ASEAN", "SCO", "BRICS", "G7", "G20":
		return b
	}
	return b
}

// countryMentions counts how often the story's articles name a country itself.
func countryMentions(g *gazetteer.Gazetteer, st *article.Story, iso string) int {
	c, ok := g.Country(iso)
	if !ok || c.Place == nil {
		return 0
	}
	for _, p := range st.Places {
		if p.GeonameID == c.Place.ID {
			return p.Mentions
		}
	}
	return 0
}

// plausibleActor drops entities whose role and name were split in the middle
// of a title ("Leader of the" + "Opposition"): the lens names only actors it
// can state cleanly.
func plausibleActor(e article.StoryEntity) bool {
	role := strings.ToLower(strings.TrimSpace(e.Role))
	for _, w := range []string{" of", " for", " the", " and", " of the"} {
		if strings.HasSuffix(role, w) {
			return false
		}
	}
	if e.Type == "PER" && !strings.Contains(strings.TrimSpace(e.Canonical), " ") && e.Mentions < 2 {
		return false // a lone surname or word named once
	}
	return true
}

func bothOrAll(n int) string {
	if n == 2 {
		return "both"
	}
	return "all"
}

// distKey is a reader point and a country (a) or a border (a, b).
type distKey struct {
	lat, lon float64
	a, b     string
}

// distCache remembers polygon and border distances from reader points; they
// cost milliseconds each and readers repeat. It forgets everything when full.
type distCache struct {
	mu        sync.Mutex
	m         map[distKey]float64
	byCountry map[string][]gazetteer.Membership
	pairs     map[[2]string][]blocSpan
}

func newDistCache() *distCache { return &distCache{m: map[distKey]float64{}} }

func (c *distCache) get(k distKey) (float64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *distCache) put(k distKey, v float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 200_000 {
		clear(c.m)
	}
	c.m[k] = v
}

// possessive is "Turkey's", "the United States'".
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func levelNoun(kind string) string {
	switch kind {
	case "city":
		return "cities"
	case "admin1":
		return "provinces and states"
	}
	return kind + " places"
}

// sameActor reports whether name is already among the folded names, in full
// or as the end of a longer one ("Erdogan" after "Recep Tayyip Erdoğan").
func sameActor(folded []string, name string) bool {
	n := gazetteer.Normalize(name)
	for _, f := range folded {
		if f == n || strings.HasSuffix(f, " "+n) || strings.HasSuffix(n, " "+f) {
			return true
		}
	}
	return false
}

// titleLike reports whether a role reads as a title or office the lens can
// quote ("Prime Minister", "national security adviser"), not a clause the
// extractor caught ("who served as …", "defeat opposition candidate").
func titleLike(role string) bool {
	f := strings.Fields(role)
	if len(f) == 0 || len(f) > 7 {
		return false
	}
	switch strings.ToLower(f[0]) {
	case "who", "which", "that", "whose", "defeat", "defeated", "said", "says", "was", "is", "has", "had":
		return false
	}
	return !strings.ContainsAny(role, "0123456789")
}
