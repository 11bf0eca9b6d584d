// Package geo finds the places a news text names, resolves them against the gazetteer, and
// weighs the document's geographic focus.
//
// Recognition runs a token-level trie over every gazetteer name and demonym (all
// overlapping matches, then the longest word-bounded spans), then context rules:
// capitalisation, sentence-initial common words, person context ("Jordan said",
// "Mr. Houston"), organisations that contain a place ("Bank of England", "New York Times"),
// "X, Texas" / "X, TX" qualifiers, datelines and possessives. Demonyms and adjectives
// ("Iranian") feed the focus but are not reported as places unless Options.EmitAdjectives.
//
// Resolution scores each candidate: a prior from its kind and population, plus the
// country and admin-1 context of the other places in the document, qualifiers, distance to
// the other places, and the caller's Prior; see README.md for the formula and the focus
// weights.
package geo

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Options are the parser's tunables. A zero field takes the default documented on it.
type Options struct {
	// MinScore is the score a resolved candidate needs to be reported (default 6.4; a
	// town of 3,000 people scores about 6.5 before context).
	MinScore float64
	// RiskyMinScore is the prior score (kind and population, no context) needed by a
	// one-word name that is also a common English word or a person's name, or that only
	// alternate names carry (default 8.8: a city of about 400,000, a state or a country).
	RiskyMinScore float64
	// EmitAdjectives reports demonyms and adjectives ("Iranian") as places too (default
	// false: they only feed the focus).
	EmitAdjectives bool
	// Focus weights of a mention: in the title (default 3), in the lead, the first two
	// sentences (default 2), in a dateline (default 3), a demonym (default 0.6), and a
	// passing mention, one made once, after the lead, in the last fifth of the text
	// (default 0.4).
	TitleWeight, LeadWeight, DatelineWeight, AdjectiveWeight, PassingWeight float64
	// MaxFocus is the number of focus entries kept per level (default 5).
	MaxFocus int
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MinScore, 6.4)
	def(&o.RiskyMinScore, 8.8)
	def(&o.TitleWeight, 3)
	def(&o.LeadWeight, 2)
	def(&o.DatelineWeight, 3)
	def(&o.AdjectiveWeight, 0.6)
	def(&o.PassingWeight, 0.4)
	if o.MaxFocus == 0 {
		o.MaxFocus = 5
	}
	return o
}

// Prior is optional knowledge about where a text comes from: the feed's home country
// (ISO2) or the reader's place. Zero fields are ignored. It nudges, never overrides: a
// candidate in Country gains 1.5, one near the reader's point up to 2 (2·exp(−km/150)),
// enough to tip an ambiguous name (Birmingham for a US feed) but not a clear one. Pass it
// to Parse; nil means no prior.
type Prior struct {
	Country  string
	Lat, Lon float64
}

// Result is what Parse found: the places named in the text (not the title) in text order,
// and the document's focus (countries, then admin-1 regions, then cities; see Focus).
type Result struct {
	Places []article.PlaceMention
	Focus  []article.Focus
}

// Parser finds and resolves places. It is safe for concurrent use.
type Parser struct {
	g      *gazetteer.Gazetteer
	m      *matcher
	opts   Options
	centre map[int64][2]float64 // area centres (see areaCentres)
	// stateEnts are entries for US state abbreviations ("Tex.", "TX", "W.Va."), matched by
	// stateAbbrevs rather than the trie; stateIdx maps a postal code to its entry.
	stateEnts []entry
	stateIdx  map[string]int32
	laIdx     int32     // the stateEnts entry of "L.A." (Los Angeles), or -1
	pool      sync.Pool // *scratch
}

type scratch struct {
	toks    []token
	matches []match
	buf     []byte
	minor   []bool          // per token: a one-word name of minor places only
	persons map[string]bool // keys of words seen as a person's name in this document
}

// New builds the matcher over the gazetteer's names (a few hundred milliseconds).
func New(g *gazetteer.Gazetteer, opts Options) (*Parser, error) {
	if g == nil {
		return nil, errors.New("geo: nil gazetteer")
	}
	p := &Parser{g: g, m: newMatcher(g), opts: opts.withDefaults(), centre: areaCentres(g), laIdx: -1}
	p.pool.New = func() any { return &scratch{} }
	p.stateIdx = map[string]int32{}
	for _, code := range usStates {
		if _, ok := p.stateIdx[code]; ok {
			continue
		}
		if a1, ok := g.Admin1("US", code); ok {
			p.stateIdx[code] = int32(len(p.stateEnts))
			p.stateEnts = append(p.stateEnts, entry{key: strings.ToLower(code), places: []*gazetteer.Place{a1}})
		}
	}
	// "L.A." is Los Angeles (AP writes Louisiana "La.").
	if e := p.m.find("los angeles"); e >= 0 {
		for _, c := range p.m.ents[e].places {
			if c.Kind == gazetteer.KindCity && c.Country == "US" {
				p.laIdx = int32(len(p.stateEnts))
				p.stateEnts = append(p.stateEnts, entry{key: "los angeles", places: []*gazetteer.Place{c}})
				break
			}
		}
	}
	return p, nil
}

// mention is one recognised name (or adjective) in the title or the text.
type mention struct {
	i, j         int // tokens
	start, end   int // code points
	bstart, bend int // bytes
	e            int32
	key          string
	inTitle      bool
	lead         bool
	dateline     bool
	adjective    bool
	risky        bool
	locative     bool    // a locative ("in", "near") precedes the name
	sentence     int     // sentence index in its segment
	pos          float64 // relative position in the text, 0..1
	qualCountry  string  // from "X, Country"
	qualAdmin1   string  // "US.TX" from "X, Texas" or "X, TX"
	cands        []*gazetteer.Place
	cover        map[string]float64 // first-level division -> other names with a candidate there
	inCounty     []bool             // cands[k] is a town in a county another name may be, or a county holding such a town
	majorOwn     bool               // a country or first-level division has the name as its own
	ownOf        []string           // countries of the countries and first-level divisions that have the name as their own
	adminHint    bool               // "Washington state", "the state of Washington", "province of X"
	listPrev     int                // end token of the previous item of a list ("A, B and C"), or -1
	listNext     int                // start token of the next item, or -1
	listKind     gazetteer.Kind     // the kind the other items of its list resolved to (0: none)
	alias        []bool             // cands[k] was found by an alternate name (first 40 candidates)
	best         *gazetteer.Place
	score        float64
	conf         float64
}

// Parse finds the places in text and weighs the focus of title and text together.
// Offsets of Places are code points into text, end exclusive.
func (p *Parser) Parse(title, text string, prior *Prior) Result {
	return p.ParseExcluding(title, text, prior, nil)
}

// ParseExcluding is Parse that leaves out the place names lying inside one of
// the given spans of text (code points, end exclusive) without being the whole
// span: the names of people and organisations an entity extractor found, so
// that "Bank of England" names no England and "Abu Musab al-Zarqawi" no Abu.
// Demonyms are kept (a "Turkish Armed Forces" still points at Turkey).
func (p *Parser) ParseExcluding(title, text string, prior *Prior, exclude [][2]int) Result {
	s := p.pool.Get().(*scratch)
	defer p.pool.Put(s)
	var ms []mention
	if s.persons == nil {
		s.persons = map[string]bool{}
	}
	clear(s.persons)
	if title != "" {
		ms = p.recognise(s, title, true, ms)
	}
	ms = p.recognise(s, text, false, ms)
	ms = p.dropPersons(ms, s.persons)
	shareQualifiers(ms)
	if len(exclude) > 0 {
		ms = slices.DeleteFunc(ms, func(m mention) bool {
			if m.inTitle || m.adjective {
				return false
			}
			for _, x := range exclude {
				if x[0] <= m.start && m.end <= x[1] && (x[0] != m.start || x[1] != m.end) {
					return true
				}
			}
			return false
		})
	}
	p.resolve(ms, prior)
	var res Result
	for i := range ms {
		m := &ms[i]
		if m.inTitle || m.best == nil || (m.adjective && !p.opts.EmitAdjectives) {
			continue
		}
		b := m.best
		lat, lon := p.point(b)
		res.Places = append(res.Places, article.PlaceMention{
			Start: m.start, End: m.end, Text: text[m.bstart:m.bend],
			GeonameID: b.ID, Name: b.Name, Kind: b.Kind.String(), Country: b.Country,
			Lat: lat, Lon: lon, Confidence: round3(m.conf),
		})
	}
	res.Focus = p.focus(ms)
	return res
}

// point is where a place is reported: its area centre when it has one, else its point.
//
// A place with neither (a county without a town in the gazetteer) is reported at the
// centre of its first-level division, else of its country.
func (p *Parser) point(c *gazetteer.Place) (lat, lon float64) {
	if ll, ok := p.centre[c.ID]; ok {
		return ll[0], ll[1]
	}
	if c.HasPoint() || c.Country == "" {
		return c.Lat, c.Lon
	}
	if c.Kind != gazetteer.KindAdmin1 && c.Admin1 != "" {
		if a1, ok := p.g.Admin1(c.Country, c.Admin1); ok && a1 != c {
			if lat, lon := p.point(a1); lat != 0 || lon != 0 {
				return lat, lon
			}
		}
	}
	if cc, ok := p.g.Country(c.Country); ok && cc.Place != nil && cc.Place != c {
		return p.point(cc.Place)
	}
	return c.Lat, c.Lon
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// recognise appends the mentions of one segment (title or text).
func (p *Parser) recognise(s *scratch, text string, inTitle bool, ms []mention) []mention {
	s.toks, s.buf = p.m.tokenize(text, s.toks[:0], s.buf)
	toks := s.toks
	if len(toks) == 0 {
		return ms
	}
	// Case mode: a title-case or all-caps segment gives no capitalisation evidence.
	caps, lower, allcaps := 0, 0, 0
	for _, t := range toks {
		switch {
		case t.flags&fAllCaps != 0:
			allcaps++
			caps++
		case t.flags&fCap != 0:
			caps++
		case t.flags&fLower != 0:
			lower++
		}
	}
	noCase := lower == 0 // all caps, or title case with no small word (all lower case: nothing counts)
	titleCase := inTitle || (caps > 3*lower)
	shouting := allcaps*2 > caps+lower

	s.matches = p.m.all(toks, s.matches[:0])
	// Keep the matches whose words are capitalised as names are.
	kept := s.matches[:0]
	for k, mt := range s.matches {
		// "The U.S.": drop a leading article when the rest is a name too.
		if mt.j-mt.i > 1 && wordAt(p.m.ents[mt.e].key, 0) == "the" && k+1 < len(s.matches) {
			if nx := s.matches[k+1]; nx.i == mt.i+1 && nx.j <= mt.j && hasSpan(s.matches[k+1:], mt.i+1, mt.j) {
				continue
			}
		}
		if noCase || p.caseOK(toks, text, mt, shouting) {
			kept = append(kept, mt)
		}
	}
	// Longest first, then leftmost; no overlaps.
	slices.SortStableFunc(kept, func(a, b match) int {
		if la, lb := a.j-a.i, b.j-b.i; la != lb {
			return lb - la
		}
		return a.i - b.i
	})
	covered := make([]bool, len(toks))
	var chosen []match
	for _, mt := range kept {
		free := true
		for k := mt.i; k < mt.j; k++ {
			if covered[k] {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for k := mt.i; k < mt.j; k++ {
			covered[k] = true
		}
		chosen = append(chosen, mt)
	}
	slices.SortFunc(chosen, func(a, b match) int { return a.i - b.i })
	chosen = p.possessiveNames(toks, text, covered, chosen)

	// Sentence index of every token.
	sent := make([]int, len(toks))
	n := 0
	for k, t := range toks {
		if k > 0 && t.flags&fSentStart != 0 {
			n++
		}
		sent[k] = n
	}
	personNamesIn(toks, text, s.persons)
	textLen := toks[len(toks)-1].end

	first := len(ms)
	chosen = p.stateAbbrevs(toks, text, covered, chosen)
	// Tokens that are a one-word name of minor places only ("Socorro", "Molina"): two of
	// them side by side are a person's name.
	minor := s.minor[:0]
	for range toks {
		minor = append(minor, false)
	}
	s.minor = minor
	for _, mt := range chosen {
		if mt.e >= 0 && mt.j-mt.i == 1 && len(p.m.ents[mt.e].demonyms) == 0 && !hasMajor(p.m.ents[mt.e].places) {
			minor[mt.i] = true
		}
	}
	for _, mt := range chosen {
		var e *entry
		if mt.e >= 0 {
			e = &p.m.ents[mt.e]
		} else {
			e = &p.stateEnts[-mt.e-1]
		}
		m := mention{
			i: mt.i, j: mt.j, e: mt.e, key: e.key, inTitle: inTitle,
			start: toks[mt.i].start, end: toks[mt.j-1].end,
			bstart: toks[mt.i].bstart, bend: toks[mt.j-1].bend,
			sentence: sent[mt.i],
		}
		// "Ky." and "Tex.": the abbreviation's full stop is part of the name.
		if t := toks[mt.j-1]; mt.e < 0 && t.flags&fAbbrev != 0 && t.bend < len(text) && text[t.bend] == '.' {
			m.end++
			m.bend++
		}
		if textLen > 0 {
			m.pos = float64(m.start) / float64(textLen)
		}
		m.lead = !inTitle && m.sentence < 2
		m.cands = e.places
		// An adjective rather than a place unless a country or a region has the name
		// ("Somali" and "German" are the Somali Region and a parish of Man only as
		// names, nearly always Somalia's and Germany's adjectives).
		if len(e.demonyms) > 0 && (!hasMajor(e.places) || !hasCountryLevel(e.places) && hasCountryLevel(e.demonyms)) {
			m.adjective = true
			m.cands = e.demonyms
		}
		if len(m.cands) == 0 {
			continue
		}
		if mt.e >= 0 && !p.keep(toks, text, &m, covered, minor, titleCase, s.persons) {
			continue
		}
		m.dateline = !inTitle && isDateline(toks, text, mt)
		m.adminHint = adminHint(toks, text, mt)
		// "Nyanza Province", "Akita Prefecture": the division word is part of the name.
		if mt.j < len(toks) && !covered[mt.j] && toks[mt.j].sep == sepSpace && toks[mt.j].flags&fCap != 0 &&
			divisionWords[lowerWord(text, toks[mt.j])] && toks[mt.j-1].flags&fPossessive == 0 && !m.adjective {
			t := toks[mt.j]
			m.j++
			m.end, m.bend = t.end, t.bend
			covered[mt.j] = true
			m.adminHint = true
		}
		ms = append(ms, m)
	}
	p.qualify(toks, text, ms[first:])
	linkLists(toks, text, ms, first)
	return ms
}

// possessiveNames extends a chosen name over a possessive word before it when the two
// make a longer name ("People's Republic of China": the tokeniser splits off the "'s").
func (p *Parser) possessiveNames(toks []token, text string, covered []bool, chosen []match) []match {
	// A possessive inside a name no match covers: "Queen Anne's County", "Martha's
	// Vineyard".
	added := false
	for k, t := range toks {
		if t.flags&fPossessive == 0 || t.flags&fCap == 0 || k+1 >= len(toks) || toks[k+1].sep != sepSpace ||
			toks[k+1].flags&fCap == 0 {
			continue
		}
		for i := max(0, k-2); i <= k; i++ {
			ok := true
			for q := i; q <= k; q++ {
				if toks[q].flags&fCap == 0 || q > i && toks[q].sep != sepSpace || q < k && toks[q].flags&fPossessive != 0 {
					ok = false
				}
			}
			if !ok {
				continue
			}
			var b strings.Builder
			for q := i; q <= k; q++ {
				if q > i {
					b.WriteByte(' ')
				}
				b.WriteString(gazetteer.Normalize(text[toks[q].bstart:toks[q].bend]))
			}
			b.WriteByte('s')
			best := -1
			var bestE int32
			key := b.String()
			for j := k + 1; j < len(toks) && j <= k+3; j++ {
				if toks[j].sep != sepSpace || toks[j].flags&fCap == 0 {
					break
				}
				key += " " + gazetteer.Normalize(text[toks[j].bstart:toks[j].bend])
				if e := p.m.find(key); e >= 0 && len(p.m.ents[e].places) > 0 {
					best, bestE = j, e
				}
			}
			// The shorter names inside give way; one reaching outside keeps its words.
			if best >= 0 && slices.ContainsFunc(chosen, func(m match) bool { return m.i < i && m.j > i || m.i <= best && m.j > best+1 }) {
				best = -1
			}
			if best >= 0 {
				chosen = slices.DeleteFunc(chosen, func(m match) bool { return m.i >= i && m.j <= best+1 })
				for q := i; q <= best; q++ {
					covered[q] = true
				}
				chosen = append(chosen, match{i: i, j: best + 1, e: bestE})
				added = true
				break
			}
		}
	}
	if added {
		slices.SortFunc(chosen, func(a, b match) int { return a.i - b.i })
	}
	for k, mt := range chosen {
		if mt.i == 0 || mt.e < 0 || covered[mt.i-1] || toks[mt.i].sep != sepSpace {
			continue
		}
		prev := toks[mt.i-1]
		if prev.flags&fPossessive == 0 || prev.flags&fCap == 0 {
			continue
		}
		w := gazetteer.Normalize(text[prev.bstart:prev.bend])
		if e := p.m.find(w + "s " + p.m.ents[mt.e].key); e >= 0 {
			chosen[k] = match{i: mt.i - 1, j: mt.j, e: e}
			covered[mt.i-1] = true
		}
	}
	return chosen
}

// smallCountryPop is the population below which a country's first-level divisions count
// as minor places for the person rules.
const smallCountryPop = 5_000_000

// smallAdmin1Only reports whether the only major readings of a name are first-level
// divisions of small countries (the Isle of Man's sheadings, Uruguay's departments).
func (p *Parser) smallAdmin1Only(ps []*gazetteer.Place) bool {
	seen := false
	for _, c := range ps[:min(len(ps), 40)] {
		switch c.Kind {
		case gazetteer.KindCountry, gazetteer.KindContinent, gazetteer.KindRegion, gazetteer.KindHotspot:
			return false
		case gazetteer.KindAdmin1:
			cc, ok := p.g.Country(c.Country)
			if !ok || cc.Population >= smallCountryPop {
				return false
			}
			seen = true
		}
	}
	return seen
}

// hasCountryLevel reports whether places include a country, continent, region or hotspot.
func hasCountryLevel(ps []*gazetteer.Place) bool {
	for _, p := range ps {
		switch p.Kind {
		case gazetteer.KindCountry, gazetteer.KindContinent, gazetteer.KindRegion, gazetteer.KindHotspot:
			return true
		}
	}
	return false
}

// adminHint reports a name that the text calls a state or province: "Washington state",
// "the state of Washington", "the province of Alberta".
func adminHint(toks []token, text string, mt match) bool {
	if mt.j < len(toks) && toks[mt.j].sep == sepSpace {
		if w := lowerWord(text, toks[mt.j]); (w == "state" || w == "province") && toks[mt.j].flags&fCap == 0 {
			return true
		}
	}
	if mt.i >= 2 && toks[mt.i].sep == sepSpace && toks[mt.i-1].sep == sepSpace && lowerWord(text, toks[mt.i-1]) == "of" {
		w := lowerWord(text, toks[mt.i-2])
		return w == "state" || w == "province"
	}
	return false
}

// linkLists links the items of lists of names ("Colorado, California, and Minnesota"):
// mentions separated only by a comma, "and" or "or".
func linkLists(toks []token, text string, ms []mention, first int) {
	for k := first; k < len(ms); k++ {
		ms[k].listPrev, ms[k].listNext = -1, -1
	}
	for k := first + 1; k < len(ms); k++ {
		a, b := &ms[k-1], &ms[k]
		if a.adjective || b.adjective || a.j > b.i {
			continue
		}
		gap := b.i - a.j
		ok := false
		switch gap {
		case 0:
			ok = toks[b.i].sep == sepComma
		case 1:
			w := lowerWord(text, toks[a.j])
			ok = (w == "and" || w == "or") && toks[b.i].sep == sepSpace && (toks[a.j].sep == sepSpace || toks[a.j].sep == sepComma)
		}
		if ok {
			a.listNext, b.listPrev = b.i, a.j
		}
	}
}

// stateAbbrevs adds the US state abbreviations no name covers: dotted forms anywhere
// ("S.C.", "W.Va."), and after a comma AP-style ("Tex.") or postal ("TX") forms.
func (p *Parser) stateAbbrevs(toks []token, text string, covered []bool, chosen []match) []match {
	added := false
	for k, t := range toks {
		if t.flags&fCap == 0 {
			continue
		}
		raw := text[t.bstart:t.bend]
		// An AP abbreviation after a comma ("Kansas City, Kan.") is the state even where
		// a one-word name took it (the rules would drop that name as an abbreviation).
		if covered[k] {
			if t.sep != sepComma || t.flags&fAbbrev == 0 || !abbrevWords[strings.ToLower(raw)] {
				continue
			}
			at := slices.IndexFunc(chosen, func(m match) bool { return m.i == k && m.j == k+1 })
			if at < 0 {
				continue
			}
			if _, ok := usStates[strings.ToLower(raw)]; !ok {
				continue
			}
			chosen = slices.Delete(chosen, at, at+1)
		}
		w := strings.ToLower(strings.ReplaceAll(raw, ".", ""))
		if w == "la" && strings.HasPrefix(raw, "L.A") && p.laIdx >= 0 {
			covered[k] = true
			chosen = append(chosen, match{i: k, j: k + 1, e: -p.laIdx - 1})
			added = true
			continue
		}
		code, ok := usStates[w]
		if !ok {
			continue
		}
		idx, ok := p.stateIdx[code]
		if !ok {
			continue
		}
		inner := strings.Contains(strings.TrimSuffix(raw, "."), ".")
		comma := t.sep == sepComma
		// "Ms. Corby" is a title (AP writes Mississippi "Miss."), and "Rev. W.V. Awdry"
		// initials: a title or a given name before, a capitalised word after.
		if w == "ms" && t.flags&fAllCaps == 0 {
			continue
		}
		if inner && k > 0 && k+1 < len(toks) && toks[k+1].sep == sepSpace && toks[k+1].flags&fCap != 0 && t.sep == sepSpace {
			if pw := lowerWord(text, toks[k-1]); personTitles[pw] || givenNames[pw] {
				continue
			}
		}
		if !(inner || comma && (t.flags&fAllCaps != 0 && len(w) == 2 || t.flags&fAbbrev != 0)) {
			continue
		}
		covered[k] = true
		chosen = append(chosen, match{i: k, j: k + 1, e: -idx - 1})
		added = true
	}
	if added {
		slices.SortFunc(chosen, func(a, b match) int { return a.i - b.i })
	}
	return chosen
}

// hasPrimary reports whether one of a name's candidates carries it as its own name rather
// than as an alternate name.
func hasPrimary(m *mention) bool {
	if bareSeaKeys[m.key] {
		return true
	}
	for _, c := range m.cands[:min(len(m.cands), 40)] {
		if gazetteer.Normalize(c.Name) == m.key || gazetteer.Normalize(c.ASCII) == m.key {
			return true
		}
	}
	return false
}

// hasSpan reports whether ms (ordered by start) holds a match of tokens [i, j).
func hasSpan(ms []match, i, j int) bool {
	for _, m := range ms {
		if m.i > i {
			return false
		}
		if m.i == i && m.j == j {
			return true
		}
	}
	return false
}

// hasMajor reports whether a name's places include a country, first-level division,
// continent, region or hotspot.
func hasMajor(ps []*gazetteer.Place) bool {
	for _, p := range ps {
		switch p.Kind {
		case gazetteer.KindCountry, gazetteer.KindAdmin1, gazetteer.KindContinent, gazetteer.KindRegion,
			gazetteer.KindHotspot:
			return true
		}
	}
	return false
}

// caseOK applies the capitalisation rule to a match in mixed-case text: the first word is
// capitalised (or in capitals), later words too unless they are connectors ("of", "de").
// A word in capitals counts only in long words or well-known short forms, since short
// acronyms (IN, OR, ME) are rarely places.
func (p *Parser) caseOK(toks []token, text string, mt match, shouting bool) bool {
	for k := mt.i; k < mt.j; k++ {
		t := toks[k]
		switch {
		case t.flags&fAllCaps != 0:
			if !shouting && mt.j-mt.i == 1 && t.end-t.start < 4 {
				if !shortCaps[p.m.ents[mt.e].key] {
					return false
				}
			}
		case t.flags&fCap != 0, t.flags&fDigit != 0:
		default:
			if k == mt.i {
				return false
			}
			// "Côte d'Ivoire": an elided article before a capital.
			if elidedBeforeCapital(text[t.bstart:t.bend]) {
				continue
			}
			if !connectors[wordAt(p.m.ents[mt.e].key, k-mt.i)] {
				return false
			}
		}
	}
	return true
}

// elidedBeforeCapital reports a word such as "d'Ivoire" or "l'Aquila".
func elidedBeforeCapital(w string) bool {
	if len(w) < 3 {
		return false
	}
	rest := w[1:]
	switch {
	case strings.HasPrefix(rest, "'"):
		rest = rest[1:]
	case strings.HasPrefix(rest, "’"):
		rest = rest[len("’"):]
	default:
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r)
}

// shortCaps are short all-capital forms that do name places.
var shortCaps = wordSet(`us usa uk uae dc drc prc nyc car roc nsw`)

// wordAt returns the n-th word of a key.
func wordAt(key string, n int) string {
	for w := range splitSpace(key) {
		if n == 0 {
			return w
		}
		n--
	}
	return ""
}

func lowerWord(text string, t token) string {
	return strings.ToLower(text[t.bstart:t.bend])
}

// keep applies the context rules to one mention; it may mark it risky.
func (p *Parser) keep(toks []token, text string, m *mention, covered, minor []bool, titleCase bool, persons map[string]bool) bool {
	first := toks[m.i]
	var prev, prev2, next *token
	if m.i > 0 && first.sep != sepSentence {
		prev = &toks[m.i-1]
		if m.i > 1 && prev.sep != sepSentence {
			prev2 = &toks[m.i-2]
		}
	}
	if m.j < len(toks) && toks[m.j].sep != sepSentence {
		next = &toks[m.j]
	}
	// Organisations: "Bank of England", "Real Madrid", "New York Times".
	if prev != nil && first.sep == sepSpace {
		pw := lowerWord(text, *prev)
		// ("Club America" is a club, "the Home Economics Club of Centerville" is in Centerville.)
		if pw == "of" && prev2 != nil && orgBefore[lowerWord(text, *prev2)] && lowerWord(text, *prev2) != "club" && prev2.flags&fCap != 0 {
			return false
		}
		if orgBefore[pw] && prev.flags&fCap != 0 && pw != "of" {
			return false
		}
	}
	if next != nil && next.sep == sepSpace && next.flags&fCap != 0 && toks[m.j-1].flags&fPossessive == 0 &&
		orgAfter[lowerWord(text, *next)] {
		return false
	}
	// Streets, buildings and features named after a place ("Lebanon Road", "Franklin
	// Elementary", "Salinas Valley" when the gazetteer lacks the whole name), unless a
	// number follows ("County Road 80"); diseases named after one ("Reston ebolavirus",
	// "Marburg virus").
	if next != nil && next.sep == sepSpace && toks[m.j-1].flags&fPossessive == 0 {
		w := lowerWord(text, *next)
		if next.flags&fCap != 0 && featureAfter[w] && !(m.j+1 < len(toks) && toks[m.j+1].flags&fDigit != 0) {
			return false
		}
		if diseaseAfter[w] || next.flags&fCap != 0 && (w == "flu" || w == "influenza") {
			return false
		}
		if stormWords[m.key] && m.j-m.i == 1 && next.flags&fCap != 0 && !covered[m.j] {
			return false
		}
	}
	// Currencies: "US$460", "$US 1.5 billion", "NZ$".
	if b := toks[m.j-1].bend; b < len(text) && text[b] == '$' {
		return false
	}
	if b := first.bstart; b > 0 && text[b-1] == '$' {
		return false
	}
	// Influenza strains: "A/California/7/2009".
	if b, e := first.bstart, toks[m.j-1].bend; b > 0 && e < len(text) && text[b-1] == '/' && text[e] == '/' {
		return false
	}
	if m.adjective {
		return true
	}
	if notPlaces[m.key] {
		return false
	}
	single := m.j-m.i == 1
	if single {
		w := lowerWord(text, first)
		// Directions, months and abbreviations alone ("West", "March", "St.") and
		// contractions ("I've") are not places.
		if directionWords[m.key] || calendarWords[m.key] || (w == "ms" || w == "miss") && m.key != "ms" || abbrevWords[m.key] && first.flags&fAbbrev != 0 ||
			isContraction(w) {
			return false
		}
	}
	raw := text[first.bstart:first.bend]
	major := hasMajor(m.cands)
	// A given name that is only a division of a small country ("Michael" and "Patrick" in
	// the Isle of Man, "Paul" in Cape Verde) is weighed as a minor place.
	if major && givenNames[m.key] && p.smallAdmin1Only(m.cands) {
		major = false
	}
	// A dotted abbreviation that names no country or state is an organisation's ("U.N.",
	// "E.U.").
	if single && !major && strings.Contains(strings.TrimSuffix(raw, "."), ".") {
		return false
	}
	// An acronym in capitals that names no country or state ("NATO", "SARS", "UN's") in
	// mixed-case text, unless it opens a dateline ("MANSFIELD —", "ROSWELL, N.M.").
	if single && !major && first.flags&fAllCaps != 0 && !titleCase {
		after := strings.TrimLeft(text[toks[m.j-1].bend:], " ")
		if !strings.HasPrefix(after, "—") && !strings.HasPrefix(after, "–") && !strings.HasPrefix(after, "-") &&
			!strings.HasPrefix(after, ",") && !strings.HasPrefix(after, "(") && !strings.HasPrefix(after, ":") {
			return false
		}
	}
	common := single && commonWords[m.key] && first.flags&fAllCaps == 0 && !strings.Contains(raw, ".")
	person := single && (personNames[m.key] || givenNames[m.key] || surnames[m.key])
	// "according to Taylor" names a source, not a destination.
	locative := prev != nil && locatives[lowerWord(text, *prev)] &&
		!(prev2 != nil && lowerWord(text, *prev) == "to" && lowerWord(text, *prev2) == "according")
	if common || person || single && !hasPrimary(m) {
		m.risky = true
	}
	// Sentence-initial or title-case common words ("Most", "Split", "Reading") need a
	// major reading or a locative.
	if common && !major && !locative && (first.flags&fSentStart != 0 || titleCase) {
		return false
	}
	if locative {
		m.risky = false
		m.locative = true
	}
	// A given name before a one-word name other than a country's: "Judith Rivera" is no
	// department of Uruguay.
	if single && !locative && prev != nil && first.sep == sepSpace && prev.flags&fCap != 0 && prev.flags&fAllCaps == 0 &&
		!covered[m.i-1] && givenNames[lowerWord(text, *prev)] && !titleCase && !hasCountryLevel(m.cands) {
		return false
	}
	// Person context.
	personLike := person || common || !major && single
	if personLike && !locative {
		isPerson := func() bool {
			if single && !major {
				persons[m.key] = true
			}
			return false
		}
		// (Not across a comma: "of 1935 Orchard St., Alexandria".)
		if prev != nil && personTitles[lowerWord(text, *prev)] && prev.flags&fCap != 0 && first.sep == sepSpace {
			return isPerson()
		}
		// The speaker after "said" or "according to": "said Lennox in a speech",
		// "according to Taylor", "said Whitney Lemons" — not "said Monroe Mayor Robert
		// Routson" or a larger city ("said Baghdad was calm").
		if single && !major && prev != nil && first.sep == sepSpace && basePrior(m.cands[0]) < 8 &&
			(saidWords[lowerWord(text, *prev)] || prev2 != nil && lowerWord(text, *prev) == "to" && lowerWord(text, *prev2) == "according") &&
			(next == nil || next.sep != sepSpace || !orgWords[lowerWord(text, *next)] && lowerWord(text, *next) != "and" &&
				(next.flags&fCap == 0 || !covered[m.j])) {
			return isPerson()
		}
		// Two one-word names of minor places side by side: "Socorro Molina", "Nelson
		// Mandela" — not after an article ("the Gainesville Riding Club", "the Ozark Dodge").
		if single && !major && !titleCase && first.flags&(fAllCaps|fPossessive) == 0 && !nameWord(m.key) &&
			(first.sep == sepSpace && m.i > 0 && minor[m.i-1] && toks[m.i-1].flags&(fAllCaps|fPossessive) == 0 &&
				!nameWord(lowerWord(text, toks[m.i-1])) && !articleBefore(toks, text, m.i-1) ||
				next != nil && next.sep == sepSpace && minor[m.j] && next.flags&fAllCaps == 0 && !nameWord(lowerWord(text, *next)) &&
					!articleBefore(toks, text, m.i)) {
			// The whole document's mentions only when one of the two is a person's name.
			if givenNames[m.key] || m.i > 0 && minor[m.i-1] && givenNames[lowerWord(text, toks[m.i-1])] ||
				next != nil && minor[m.j] && givenNames[lowerWord(text, *next)] {
				return isPerson()
			}
			return false
		}
		if next != nil && next.sep == sepSpace && personVerbs[lowerWord(text, *next)] {
			if person || common || single && !major && basePrior(m.cands[0]) < 8 {
				return isPerson()
			}
		}
		// A capitalised word before ("Raquel Henry") that is no place and no direction.
		// Not across a change of case: "Super Bowl INDIANAPOLIS (AP)" is a headline, then a dateline.
		if prev != nil && first.sep == sepSpace && prev.flags&(fCap) != 0 && prev.flags&fSentStart == 0 &&
			!covered[m.i-1] && !directionWords[lowerWord(text, *prev)] && !titleCase &&
			(first.flags&fAllCaps == 0 || prev.flags&fAllCaps != 0) {
			return false
		}
		// A capitalised word after ("Jordan Henderson", "Chad Smith") that is no place, or
		// any capitalised word after a given name ("Michael Thomas").
		// Not before an office or a kind of place: "Georgia School Boards Association",
		// "Henderson Police Department", "Paris Public Library".
		if (person || common) && next != nil && next.sep == sepSpace && next.flags&fCap != 0 &&
			(!covered[m.j] || givenNames[m.key] && !major) && !titleCase && toks[m.j-1].flags&fPossessive == 0 &&
			!(hasPrimary(m) && orgWords[lowerWord(text, *next)]) {
			return false
		}
		// A small town followed by a capitalised word that is no place and names no office,
		// feature or kind of place, then by no further capitalised word: a person ("Prescott
		// Carlson was quoted", "Linton Sirait, who").
		if single && !major && next != nil && next.sep == sepSpace && next.flags&fCap != 0 && next.flags&fAllCaps == 0 &&
			!covered[m.j] && !titleCase && toks[m.j-1].flags&fPossessive == 0 && basePrior(m.cands[0]) < 8 &&
			!nameWord(lowerWord(text, *next)) && !articleBefore(toks, text, m.i) &&
			(m.j+1 >= len(toks) || toks[m.j+1].sep != sepSpace || toks[m.j+1].flags&fCap == 0) {
			return false
		}
	}
	return true
}

// nameWord reports a word that, next to a place name, makes a name of an office, a
// feature or a kind of place rather than a person's ("Athens Police", "Mill Road").
func nameWord(w string) bool {
	return commonWords[w] || orgWords[w] || featureAfter[w] || directionWords[w] || orgAfter[w]
}

// articleBefore reports an article (or an adjective after one: "the large") before token k.
func articleBefore(toks []token, text string, k int) bool {
	for q := k - 1; q >= 0 && q >= k-2; q-- {
		if toks[q+1].sep != sepSpace {
			return false
		}
		switch lowerWord(text, toks[q]) {
		case "the", "a", "an":
			return true
		}
		if toks[q].flags&fLower == 0 {
			return false
		}
	}
	return false
}

// personNamesIn adds to persons the words that follow a given name or a person's title
// ("Andrew Trapani", "Matthew D. Flores", "Ms. Underwood"): later mentions of the same
// word alone are the same person.
func personNamesIn(toks []token, text string, persons map[string]bool) {
	for k := 1; k < len(toks); k++ {
		t := toks[k]
		if t.flags&fCap == 0 || t.flags&fAllCaps != 0 || t.sep != sepSpace || t.flags&fSentStart != 0 && toks[k-1].flags&fAbbrev == 0 {
			continue
		}
		q := k - 1
		// A middle initial: "Matthew D. Flores".
		if q > 0 && toks[q].end-toks[q].start == 1 && toks[q].flags&(fCap|fAbbrev) == fCap|fAbbrev && toks[q].sep == sepSpace {
			q--
		}
		prev := toks[q]
		if prev.flags&fCap == 0 || prev.flags&fAllCaps != 0 {
			continue
		}
		w := lowerWord(text, prev)
		if givenNames[w] || personTitles[w] && prev.flags&fAbbrev != 0 {
			key := gazetteer.Normalize(text[t.bstart:t.bend])
			persons[key] = true
		}
	}
}

// dropPersons removes the one-word names of minor places that the document also uses as
// a person's name, unless a locative shows the place ("in Trapani").
func (p *Parser) dropPersons(ms []mention, persons map[string]bool) []mention {
	if len(persons) == 0 {
		return ms
	}
	out := ms[:0]
	for _, m := range ms {
		if m.j-m.i == 1 && !m.adjective && !m.locative && persons[m.key] && (!hasMajor(m.cands) || p.smallAdmin1Only(m.cands)) &&
			m.qualAdmin1 == "" && m.qualCountry == "" {
			continue
		}
		out = append(out, m)
	}
	return out
}

// shareQualifiers gives the unqualified mentions of a name the qualifier of its qualified
// ones, when they agree: one place per name and document ("Springfield, Ill." once,
// then "Springfield" throughout).
func shareQualifiers(ms []mention) {
	type qual struct{ a1, cc string }
	var quals map[string]qual
	for i := range ms {
		m := &ms[i]
		if m.qualAdmin1 == "" && m.qualCountry == "" || m.adjective {
			continue
		}
		if quals == nil {
			quals = map[string]qual{}
		}
		q := qual{m.qualAdmin1, m.qualCountry}
		if old, ok := quals[m.key]; ok && old != q {
			q = qual{"-", "-"} // conflicting qualifiers: leave the name alone
		}
		quals[m.key] = q
	}
	if quals == nil {
		return
	}
	for i := range ms {
		m := &ms[i]
		if m.qualAdmin1 != "" || m.qualCountry != "" || m.adjective {
			continue
		}
		if q, ok := quals[m.key]; ok && q.a1 != "-" {
			m.qualAdmin1, m.qualCountry = q.a1, q.cc
		}
	}
}

// isDateline reports a name in capitals opening a paragraph and followed by a dash, a
// parenthesis or a comma and more capitals ("BAGHDAD —", "PARIS (Reuters) -").
func isDateline(toks []token, text string, mt match) bool {
	t := toks[mt.i]
	if t.flags&fParaStart == 0 || t.flags&fAllCaps == 0 {
		return false
	}
	rest := text[toks[mt.j-1].bend:]
	rest = strings.TrimLeft(rest, " ,.")
	// Skip a qualifier in capitals or title case ("WASHINGTON, D.C. —", "PARIS, Texas -").
	for k := 0; k < 3 && rest != ""; k++ {
		if strings.HasPrefix(rest, "—") || strings.HasPrefix(rest, "–") || strings.HasPrefix(rest, "-") ||
			strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, ":") {
			return true
		}
		sp := strings.IndexAny(rest, " —–-(:")
		if sp <= 0 {
			return false
		}
		rest = strings.TrimLeft(rest[sp:], " ,.")
	}
	return false
}

// qualify links "X, Texas", "X, TX" and "X, Iraq": the later name restricts the earlier.
func (p *Parser) qualify(toks []token, text string, ms []mention) {
	for k := range ms {
		a := &ms[k]
		if a.adjective || a.j >= len(toks) || toks[a.j].sep != sepComma {
			continue
		}
		if k+1 < len(ms) && ms[k+1].i == a.j && !ms[k+1].adjective {
			b := &ms[k+1]
			for _, c := range b.cands {
				if c.Kind == gazetteer.KindAdmin1 {
					a.qualAdmin1 = c.Country + "." + c.Admin1
					break
				}
				if c.Kind == gazetteer.KindCountry {
					a.qualCountry = c.Country
					break
				}
			}
			continue
		}
		// A state abbreviation: "Austin, TX", "Paris, Tex.".
		t := toks[a.j]
		w := strings.ToLower(strings.ReplaceAll(text[t.bstart:t.bend], ".", ""))
		if code, ok := usStates[w]; ok && (t.flags&fAllCaps != 0 || (t.flags&fAbbrev != 0 && t.flags&fCap != 0)) {
			a.qualAdmin1 = "US." + code
		}
	}
}

// Analyser adapts the parser to the ingest pipeline: it fills a.Analysis.Places and Focus.
type Analyser struct{ P *Parser }

// Name identifies the analyser.
func (Analyser) Name() string { return "geo" }

// Analyse parses the article's title and text, with the publisher's home
// country (PriorFromURL) as the prior. When an earlier step found
// people and organisations (Analysis.Entities), place names inside their
// names are left out, and an entity that is exactly a resolved place ("BAGHDAD
// —" read as an organisation) is dropped: places are this step's.
func (an Analyser) Analyse(ctx context.Context, a *article.Article) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if an.P == nil {
		return errors.New("geo: analyser without parser")
	}
	if a.Analysis == nil {
		a.Analysis = &article.Analysis{}
	}
	var exclude [][2]int
	for _, e := range a.Analysis.Entities {
		exclude = append(exclude, [2]int{e.Start, e.End})
	}
	src := a.CanonicalURL
	if src == "" {
		src = a.URL
	}
	r := an.P.ParseExcluding(a.Title, a.Text, PriorFromURL(an.P.g, src), exclude)
	a.Analysis.Places = r.Places
	a.Analysis.Focus = r.Focus
	if len(r.Places) > 0 && len(a.Analysis.Entities) > 0 {
		placeSpan := make(map[[2]int]bool, len(r.Places))
		for _, p := range r.Places {
			placeSpan[[2]int{p.Start, p.End}] = true
		}
		a.Analysis.Entities = slices.DeleteFunc(a.Analysis.Entities, func(e article.Entity) bool {
			return placeSpan[[2]int{e.Start, e.End}]
		})
	}
	return nil
}
