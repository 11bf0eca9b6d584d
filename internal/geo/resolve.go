package geo

import (
	"math"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// countyBonus is added to a town in a county that another name of the document may be,
// and to the county ("Athens" with "Henderson County": Athens, Texas; LGL Acc@161 0.843
// -> 0.864, GeoVirus unchanged; 1 and 3 did no better).
const countyBonus = 2.0

// basePrior is a candidate's score before context: its kind, its population and its rank
// as a capital or seat.
func basePrior(c *gazetteer.Place) float64 {
	switch c.Kind {
	case gazetteer.KindCountry:
		return 10
	case gazetteer.KindContinent:
		return 9.5
	case gazetteer.KindRegion, gazetteer.KindHotspot:
		return 8.5
	case gazetteer.KindAdmin1:
		return 8.6
	case gazetteer.KindWater:
		return 7
	case gazetteer.KindLandform:
		return 6.5
	case gazetteer.KindAdmin2:
		return 6.2
	}
	s := 3 + math.Log10(float64(c.Population)+1)
	switch c.FeatureCode {
	case "PPLC":
		s += 1.5
	case "PPLA":
		s += 0.6
	case "PPLA2":
		s += 0.2
	}
	return s
}

// docContext accumulates the countries, first-level divisions and points the document's
// mentions resolve to, remembering each name's own share so that a name never supports
// itself.
type docContext struct {
	country map[string]float64
	admin1  map[string]float64
	byKey   map[string]*keyShare
	points  []ctxPoint
}

type keyShare struct {
	country map[string]float64
	admin1  map[string]float64
}

type ctxPoint struct {
	key      string
	lat, lon float64
	w        float64
}

func newDocContext() *docContext {
	return &docContext{country: map[string]float64{}, admin1: map[string]float64{}, byKey: map[string]*keyShare{}}
}

func (d *docContext) add(key string, c *gazetteer.Place, w float64) {
	ks := d.byKey[key]
	if ks == nil {
		ks = &keyShare{country: map[string]float64{}, admin1: map[string]float64{}}
		d.byKey[key] = ks
	}
	addTo := func(cc string, a1 string, w float64) {
		if cc != "" {
			d.country[cc] += w
			ks.country[cc] += w
		}
		if a1 != "" {
			d.admin1[a1] += w
			ks.admin1[a1] += w
		}
	}
	switch c.Kind {
	case gazetteer.KindCountry:
		addTo(c.Country, "", w)
	case gazetteer.KindAdmin1:
		addTo(c.Country, c.Country+"."+c.Admin1, w)
	case gazetteer.KindRegion, gazetteer.KindContinent, gazetteer.KindHotspot:
		if len(c.Members) > 0 && len(c.Members) <= 4 {
			for _, cc := range c.Members {
				addTo(cc, "", w/float64(len(c.Members)))
			}
		}
	default:
		a1 := ""
		if c.Admin1 != "" && c.Country != "" {
			a1 = c.Country + "." + c.Admin1
		}
		addTo(c.Country, a1, w*0.7)
	}
	if c.HasPoint() && c.Kind != gazetteer.KindContinent && c.Kind != gazetteer.KindRegion {
		d.points = append(d.points, ctxPoint{key: key, lat: c.Lat, lon: c.Lon, w: w})
	}
}

// countryFor and admin1For return the support of a country or division from the names
// other than key.
func (d *docContext) countryFor(key, cc string) float64 {
	v := d.country[cc]
	if ks := d.byKey[key]; ks != nil {
		v -= ks.country[cc]
	}
	return v
}

func (d *docContext) admin1For(key, a1 string) float64 {
	v := d.admin1[a1]
	if ks := d.byKey[key]; ks != nil {
		v -= ks.admin1[a1]
	}
	return v
}

// nearest returns the distance in km from the point to the nearest other name's place.
func (d *docContext) nearest(key string, lat, lon float64) float64 {
	best := math.Inf(1)
	for _, q := range d.points {
		if q.key == key || q.w < 0.5 {
			continue
		}
		if km := gazetteer.DistanceKm(lat, lon, q.lat, q.lon); km < best {
			best = km
		}
	}
	return best
}

// score is a candidate's score in the document's context (nil context: prior only).
func (p *Parser) score(m *mention, k int, d *docContext, prior *Prior) float64 {
	c := m.cands[k]
	s := basePrior(c)
	if m.cover != nil && c.Admin1 != "" && c.Kind != gazetteer.KindCountry {
		if n := m.cover[c.Country+"."+c.Admin1]; n > 0 {
			s += 0.4 * math.Min(2, n)
		}
	}
	if m.inCounty != nil && m.inCounty[k] {
		s += countyBonus
	}
	if m.alias[k] {
		s -= aliasPenalty(c)
		if m.majorOwn && c.Kind == gazetteer.KindCity {
			// The name is a country's or state's own: "Mexico" is not Mexico City, not
			// even beside "Mexico City" and "Mexican" (4 was too little there).
			s -= 8
		}
	} else if (c.Kind == gazetteer.KindCity || c.Kind == gazetteer.KindAdmin2) && basePrior(c) < 8.6 && namesakeOfMajor(m, d) {
		// A town named after a country or a state ("California, Pennsylvania", "Victoria,
		// Texas") is rarely what news means by the name once the other names point to the
		// country of the state.
		s -= 3
	}
	if m.adminHint && c.Kind == gazetteer.KindAdmin1 {
		s += 2
	}
	if m.listKind != 0 && c.Kind == m.listKind {
		s += 1.5
	}
	if m.qualAdmin1 != "" && c.Country+"."+c.Admin1 == m.qualAdmin1 {
		s += 5
	}
	if m.qualCountry != "" && c.Country == m.qualCountry {
		s += 4
	}
	if prior != nil {
		if prior.Country != "" && c.Country == prior.Country {
			s += 1.5
		}
		if (prior.Lat != 0 || prior.Lon != 0) && c.HasPoint() {
			km := gazetteer.DistanceKm(prior.Lat, prior.Lon, c.Lat, c.Lon)
			s += 2 * math.Exp(-km/150)
		}
	}
	if d == nil {
		return s
	}
	if c.Country != "" {
		if w := d.countryFor(m.key, c.Country); w > 0 {
			s += 2.2 * math.Min(1, w)
		}
		if c.Kind != gazetteer.KindCountry && c.Admin1 != "" {
			if w := d.admin1For(m.key, c.Country+"."+c.Admin1); w > 0 {
				s += 2.2 * math.Min(1, w)
			}
		}
	}
	if c.HasPoint() && c.Kind != gazetteer.KindCountry && c.Kind != gazetteer.KindContinent {
		if km := d.nearest(m.key, c.Lat, c.Lon); km < 1000 {
			s += 1.5 * math.Exp(-km/150)
		}
	}
	return s
}

// namesakeOfMajor reports whether the name is the own name of a country or first-level
// division in a country the other names of the document point to (Victoria in a story
// about Melbourne, Oregon in a list of US states).
func namesakeOfMajor(m *mention, d *docContext) bool {
	if d == nil {
		return false
	}
	for _, cc := range m.ownOf {
		if d.countryFor(m.key, cc) >= 0.5 {
			return true
		}
	}
	return false
}

// resolve picks a place for every mention: a first pass on priors, then two passes with
// the context of the other names.
func (p *Parser) resolve(ms []mention, prior *Prior) {
	var d *docContext
	for i := range ms {
		m := &ms[i]
		n := min(len(m.cands), 40)
		m.alias = make([]bool, n)
		for k, c := range m.cands[:n] {
			m.alias[k] = m.key != gazetteer.Normalize(c.Name) && m.key != gazetteer.Normalize(c.ASCII) &&
				!(c.Kind == gazetteer.KindWater && bareSeaKeys[m.key])
			switch c.Kind {
			case gazetteer.KindCountry, gazetteer.KindAdmin1:
				if !m.alias[k] {
					m.majorOwn = true
					m.ownOf = append(m.ownOf, c.Country)
				}
			}
		}
	}
	p.coverage(ms)
	for pass := 0; pass < 3; pass++ {
		if pass > 0 {
			listKinds(ms)
		}
		for i := range ms {
			m := &ms[i]
			best := math.Inf(-1)
			var bp *gazetteer.Place
			sum := 0.0
			for k, c := range m.cands[:len(m.alias)] {
				s := p.score(m, k, d, prior)
				if s > best {
					best, bp = s, c
				}
				sum += math.Exp(s - 10)
			}
			m.best, m.score = bp, best
			if bp != nil {
				m.conf = math.Exp(best-10) / sum
			}
		}
		// Build the context for the next pass from confident choices.
		d = newDocContext()
		for i := range ms {
			m := &ms[i]
			if m.best == nil {
				continue
			}
			w := m.conf
			if m.adjective {
				w *= 0.8
			}
			if m.score < p.opts.MinScore {
				w *= 0.3
			}
			d.add(m.key, m.best, w)
		}
	}
	for i := range ms {
		m := &ms[i]
		if m.best == nil {
			continue
		}
		if m.score < p.opts.MinScore {
			m.best = nil
			continue
		}
		// A risky name needs a strong reading of its own, an explicit qualifier ("Paris,
		// Texas"), or the firm support of other names in the same first-level division.
		if m.risky && basePrior(m.best)-aliasPenaltyIf(m, m.best) < p.opts.RiskyMinScore && !p.supported(m, m.best, d) {
			m.best = nil
		}
	}
}

// aliasPenalty is taken off a candidate found by one of its alternate names rather than
// its own: GeoNames' alternate names of towns and counties include surnames, short forms
// and other places' names ("Jones" for Jones County).
func aliasPenalty(c *gazetteer.Place) float64 {
	switch c.Kind {
	case gazetteer.KindAdmin1:
		return admin1AliasPenalty
	case gazetteer.KindCountry, gazetteer.KindContinent, gazetteer.KindRegion, gazetteer.KindHotspot:
		return 0
	}
	return 1.5
}

// admin1AliasPenalty breaks ties between a first-level division by its own name and one
// by an alternate name ("Maryland" is the state, not Liberia's Maryland County).
const admin1AliasPenalty = 0.3

func aliasPenaltyIf(m *mention, c *gazetteer.Place) float64 {
	for k, x := range m.cands[:len(m.alias)] {
		if x == c && m.alias[k] {
			return aliasPenalty(c)
		}
	}
	return 0
}

// supported reports whether a risky name's reading is made firm by an explicit qualifier
// or by other names resolved in the same first-level division.
func (p *Parser) supported(m *mention, c *gazetteer.Place, d *docContext) bool {
	if m.qualAdmin1 != "" && c.Country+"."+c.Admin1 == m.qualAdmin1 {
		return true
	}
	if m.qualCountry != "" && c.Country == m.qualCountry {
		return true
	}
	// A first-level division by its own name that is also a person's name (Georgia,
	// Virginia) rather than a common word.
	// Not a given name that is only a division of a small country ("Patrick" in the Isle of
	// Man).
	if c.Kind == gazetteer.KindAdmin1 && !isAliasOf(m, c) && !commonWords[m.key] &&
		!(givenNames[m.key] && p.smallAdmin1Only(m.cands)) {
		return true
	}
	// A first-level division by a short form of its name ("Midlands" for Midlands
	// Province) in a country the other names firmly point to.
	if c.Kind == gazetteer.KindAdmin1 && d != nil && !commonWords[m.key] && !givenNames[m.key] && !surnames[m.key] &&
		d.countryFor(m.key, c.Country) >= 1 {
		return true
	}
	if d == nil || c.Admin1 == "" || c.Country == "" || aliasPenaltyIf(m, c) > 0 ||
		surnames[m.key] || givenNames[m.key] || commonWords[m.key] {
		return false
	}
	return d.admin1For(m.key, c.Country+"."+c.Admin1) >= 1
}

// isAliasOf reports whether candidate c was found by one of its alternate names.
func isAliasOf(m *mention, c *gazetteer.Place) bool {
	for k, x := range m.cands[:len(m.alias)] {
		if x == c {
			return m.alias[k]
		}
	}
	return true
}

// coverage counts, for every mention and first-level division, how many of the other
// names (distinct keys) have a candidate there: the division that explains the most names
// is the likely setting of a local story ("Huntsville" and "Walker County" are both in
// Texas and in Alabama, "Trinity County" only in Texas).
func (p *Parser) coverage(ms []mention) {
	byKey := map[string]map[string]bool{}
	for i := range ms {
		m := &ms[i]
		if m.adjective || byKey[m.key] != nil {
			continue
		}
		set := map[string]bool{}
		for _, c := range m.cands[:len(m.alias)] {
			if c.Admin1 != "" && c.Country != "" {
				set[c.Country+"."+c.Admin1] = true
			}
		}
		byKey[m.key] = set
	}
	total := map[string]float64{}
	for _, set := range byKey {
		for a1 := range set {
			total[a1]++
		}
	}
	// Counties and the towns in them: "Athens" and "Henderson County" both name places in
	// Henderson County, Texas.
	counties, towns := map[string]map[string]bool{}, map[string]map[string]bool{}
	for i := range ms {
		m := &ms[i]
		if m.adjective {
			continue
		}
		for _, c := range m.cands[:len(m.alias)] {
			if c.Admin2 == "" || c.Admin1 == "" {
				continue
			}
			code := c.Country + "." + c.Admin1 + "." + c.Admin2
			switch c.Kind {
			case gazetteer.KindAdmin2:
				addKey(counties, code, m.key)
			case gazetteer.KindCity:
				addKey(towns, code, m.key)
			}
		}
	}
	if len(counties) > 0 && len(towns) > 0 {
		for i := range ms {
			m := &ms[i]
			if m.adjective {
				continue
			}
			for k, c := range m.cands[:len(m.alias)] {
				if c.Admin2 == "" || c.Admin1 == "" {
					continue
				}
				code := c.Country + "." + c.Admin1 + "." + c.Admin2
				var other map[string]bool
				switch c.Kind {
				case gazetteer.KindAdmin2:
					other = towns[code]
				case gazetteer.KindCity:
					other = counties[code]
				}
				if len(other) > 1 || len(other) == 1 && !other[m.key] {
					if m.inCounty == nil {
						m.inCounty = make([]bool, len(m.alias))
					}
					m.inCounty[k] = true
				}
			}
		}
	}
	cache := map[string]map[string]float64{}
	for i := range ms {
		m := &ms[i]
		if m.adjective {
			continue
		}
		if c, ok := cache[m.key]; ok {
			m.cover = c
			continue
		}
		own := byKey[m.key]
		cov := map[string]float64{}
		for a1 := range own {
			if n := total[a1] - 1; n > 0 {
				cov[a1] = n
			}
		}
		cache[m.key] = cov
		m.cover = cov
	}
}

func addKey(m map[string]map[string]bool, code, key string) {
	s := m[code]
	if s == nil {
		s = map[string]bool{}
		m[code] = s
	}
	s[key] = true
}

// listKinds sets, for every item of a list, the kind its neighbours in the list resolved
// to when they agree on a country or first-level division: a list of states is a list of
// states ("Washington, Pennsylvania and California").
func listKinds(ms []mention) {
	for i := range ms {
		m := &ms[i]
		m.listKind = 0
		var kinds []gazetteer.Kind
		var nb []*mention
		if i > 0 && m.listPrev >= 0 && ms[i-1].inTitle == m.inTitle && ms[i-1].j == m.listPrev {
			nb = append(nb, &ms[i-1])
		}
		if i+1 < len(ms) && m.listNext >= 0 && ms[i+1].inTitle == m.inTitle && ms[i+1].i == m.listNext {
			nb = append(nb, &ms[i+1])
		}
		for _, o := range nb {
			if o.best != nil && o.score >= 6.4 {
				kinds = append(kinds, o.best.Kind)
			}
		}
		for _, k := range kinds {
			if k == gazetteer.KindCountry || k == gazetteer.KindAdmin1 {
				if m.listKind == 0 || m.listKind == k {
					m.listKind = k
				} else {
					m.listKind = 0
					break
				}
			}
		}
	}
}
