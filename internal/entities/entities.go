// Package entities finds the people and organisations a news text names, with
// their roles, countries and in-document coreference.
//
// The extractor is rule-based and needs no model: it chunks runs of capitalised
// words (with name particles such as "al-", "bin", "van" and connectors such as
// "of" after an organisation head), then classifies each chunk with the cues news
// writing uses — titles and roles ("Iraqi President Abdul Latif Rashid"),
// honorifics ("Mr"), organisation heads ("Council", "Ministry", "Inc"), acronyms
// defined in the text ("Supreme National Security Council (SNSC)") or well known
// ("NATO") — and drops chunks that are only place names, which belong to the
// geoparser. A second pass links later mentions ("Sudani", "the council",
// "SNSC") to the full name seen in the document.
package entities

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Entity types.
const (
	Person       = "PER"
	Organisation = "ORG"
)

// Extractor finds person and organisation mentions. It is safe for concurrent
// use.
type Extractor struct {
	g                                                    *gazetteer.Gazetteer
	stop, cal, roles, hon, orgHeads, orgSuffix, nonEnt   map[string]bool
	particles, portfolio, known, commonCaps, roleModsSet map[string]bool
	speech, notName, possMods, intl, placeMods           map[string]bool
}

// New returns an extractor. g links people and organisations to countries and
// filters place names; it may be nil, and then neither happens.
func New(g *gazetteer.Gazetteer) *Extractor {
	return &Extractor{
		g:           g,
		stop:        wordSet(stopCaps),
		cal:         wordSet(calendar),
		roles:       wordSet(roleHeads),
		hon:         wordSet(honorifics),
		orgHeads:    wordSet(orgHeads),
		orgSuffix:   wordSet(orgSuffixes),
		nonEnt:      wordSet(nonEntityHeads),
		particles:   wordSet(particles),
		portfolio:   wordSet(portfolio),
		known:       knownSet(),
		commonCaps:  wordSet(commonCaps),
		roleModsSet: wordSet(roleMods),
		speech:      wordSet(speechVerbs),
		notName:     wordSet(notNameWords, orgHeads, nonEntityHeads, roleHeads),
		possMods:    wordSet(possMods),
		intl:        wordSet(intlOrgs),
		placeMods:   wordSet(placeMods),
	}
}

// knownSet is the set of well-known organisations, with the few named in two
// words.
func knownSet() map[string]bool {
	m := wordSet(knownOrgs)
	m["White House"] = true
	return m
}

// roleMods may sit between an organisation and the role it qualifies
// ("Bank of England Deputy Governor").
const roleMods = `deputy vice acting chief executive prime foreign senior assistant general first principal
press national security interim former`

// mention is a classified chunk, in token indices.
type mention struct {
	ts, te    int // tokens, te exclusive
	typ       string
	canonical string
	role      string
	country   string
	single    bool // unresolved single capitalised word, kept only if coreference resolves it
	nominal   bool // "the council": resolved through an earlier full name
	weak      bool // a person only because it looks like a name (no role, honorific or other cue)
	place     bool // a place name (kept for coreference with a person only)
}

// doc is the per-call state.
type doc struct {
	x          *Extractor
	lowerWords map[string]bool
	s          string
	toks       []token
	ments      []mention
	places     map[string]placeInfo
}

type placeInfo struct {
	iso   string
	place bool
}

// Extract returns the people and organisations named in text, in order of
// position. Start and End are Unicode code points into text, End exclusive;
// Type is "PER" or "ORG". The title only helps coreference (a surname in the
// text resolves to a full name in the title); its mentions are not returned.
func (x *Extractor) Extract(title, text string) []article.Entity {
	d := &doc{x: x, places: make(map[string]placeInfo)}
	var titleNames []mention
	var titleDoc *doc
	if title != "" {
		titleDoc = &doc{x: x, s: title, places: d.places}
		titleDoc.toks = x.prepare(title, nil)
		titleDoc.chunk()
		for _, m := range titleDoc.ments {
			if m.typ == Person && !m.single && m.role != "" {
				titleNames = append(titleNames, m)
			}
		}
	}
	d.s = text
	d.toks = x.prepare(text, nil)
	d.chunk()
	d.resolve(titleDoc, titleNames)
	out := make([]article.Entity, 0, len(d.ments))
	for _, m := range d.ments {
		if m.single || m.typ == "" {
			continue
		}
		a, b := d.toks[m.ts], d.toks[m.te-1]
		out = append(out, article.Entity{
			Text: text[a.bs:b.be], Type: m.typ, Start: a.start, End: b.end,
			Canonical: squash(m.canonical), Role: cleanRole(m.role), Country: m.country,
		})
	}
	slices.SortStableFunc(out, func(p, q article.Entity) int {
		if p.Start != q.Start {
			return p.Start - q.Start
		}
		return p.End - q.End
	})
	// Drop overlaps (keep the first, longest-starting mention).
	w := 0
	for i, e := range out {
		if w > 0 && e.Start < out[w-1].End {
			continue
		}
		out[w] = out[i]
		w++
	}
	return out[:w]
}

// squash collapses the white space inside s to single spaces.
func squash(s string) string {
	clean := true
	prevSpace := false
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (r != ' ' || prevSpace) {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// cleanRole returns a role as written, with its white space squashed and
// without the function words or punctuation a cut can leave at its end
// ("spokesman for the" -> "spokesman").
func cleanRole(r string) string {
	if r == "" {
		return r
	}
	if i := strings.LastIndexByte(r, ' '); squash(r) == r && !roleTail(r[i+1:]) {
		return r
	}
	f := strings.Fields(r)
	for len(f) > 0 {
		if roleTail(f[len(f)-1]) {
			f = f[:len(f)-1]
			continue
		}
		break
	}
	return strings.Join(f, " ")
}

// roleTail reports whether w cannot end a role: a function word or
// punctuation.
func roleTail(w string) bool {
	switch strings.ToLower(strings.TrimRight(w, ",;:-–—\"'(“”")) {
	case "", "of", "for", "the", "and", "in", "at", "to", "a", "an", "on", "with", "from", "by":
		return true
	}
	return false
}

// prepare tokenizes s and fills the case and sentence-start flags.
func (x *Extractor) prepare(s string, buf []token) []token {
	toks := tokenize(s, buf)
	newSent := true
	for i := range toks {
		t := &toks[i]
		if !t.word {
			switch t.text {
			case ".":
				prev := ""
				if i > 0 {
					prev = toks[i-1].lower
				}
				if !x.hon[prev] && !(i > 0 && utf8.RuneCountInString(toks[i-1].text) == 1 && toks[i-1].capital) && prev != "st" && prev != "no" && prev != "gen" && prev != "sen" && prev != "gov" && prev != "rep" && prev != "lt" && prev != "col" && prev != "capt" && prev != "jr" && prev != "sr" {
					newSent = true
				}
			case "!", "?", "\n", ":", ";", "•":
				newSent = true
			}
			continue
		}
		if t.lower == "" {
			t.lower = strings.ToLower(t.text)
		}
		t.sentStart = newSent
		newSent = false
		t.capital, t.allCaps = caseOf(t.text)
	}
	return toks
}

// hasNamePrefix strips a lower-case prefix joined to a name by a hyphen
// ("al-Sudani" -> "Sudani").
func hasNamePrefix(w string) (rest string, ok bool) {
	for _, p := range [...]string{"al-", "el-", "ad-", "as-", "ash-", "at-", "az-", "ar-", "an-", "bin-", "ibn-", "abu-", "ben-", "ul-", "ur-", "ud-"} {
		if strings.HasPrefix(w, p) && len(w) > len(p) {
			return w[len(p):], true
		}
	}
	return w, false
}

// caseOf reports whether w starts with an upper-case letter (after a name
// prefix such as "al-") and whether it is an all-capital word of two or more
// letters.
func caseOf(w string) (capital, allCaps bool) {
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsUpper(r) {
		capital = true
	} else if rest, ok := hasNamePrefix(w); ok {
		r2, _ := utf8.DecodeRuneInString(rest)
		capital = unicode.IsUpper(r2)
	}
	if !capital {
		return false, false
	}
	letters, upper := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return capital, letters >= 2 && upper == letters
}

func (d *doc) text(ts, te int) string {
	return d.s[d.toks[ts].bs:d.toks[te-1].be]
}

// chunk finds the capitalised chunks and classifies them.
func (d *doc) chunk() {
	toks := d.toks
	possISO, possAt := "", -1
	for i := 0; i < len(toks); {
		t := toks[i]
		if !t.word || !t.capital {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) {
			n := d.extends(i, j)
			if n == 0 {
				break
			}
			j += n
		}
		// A possessive links a country only to the chunk it governs: right
		// after "'s", or after a few lower-case modifiers ("Turkey's former
		// Foreign Minister …"), never across other words.
		country := ""
		if possAt >= 0 && i >= possAt && i <= possAt+3 && d.onlyModifiers(possAt, i) {
			country = possISO
		}
		iso, isPlace := d.classify(i, j, country)
		possISO, possAt = "", -1
		if j < len(toks) && toks[j].lower == "'s" && isPlace && iso != "" {
			possISO, possAt = iso, j+1
		}
		i = j
	}
}

// possMods are the lower-case words that may stand between a possessive and
// the role it governs ("Iraq's former Prime Minister …").
const possMods = `former new acting then outgoing incoming current interim late longtime veteran top senior deputy
chief caretaker de-facto de facto elected newly-elected`

// onlyModifiers reports whether toks[a:b] are all possessive modifiers, or a
// lower-case role that the chunk after it restates ("Israel's intelligence
// chief Major General Amos Yadlin").
func (d *doc) onlyModifiers(a, b int) bool {
	mods := true
	for k := a; k < b; k++ {
		t := d.toks[k]
		if !t.word || t.capital || d.x.stop[t.lower] {
			return false
		}
		mods = mods && d.x.possMods[t.lower]
	}
	return mods || d.x.roles[d.toks[b-1].lower]
}

// extends reports how many tokens from j join the chunk toks[i:j] (0 for none).
func (d *doc) extends(i, j int) int {
	toks := d.toks
	t := toks[j]
	capAt := func(k int) bool {
		return k < len(toks) && toks[k].word && toks[k].capital
	}
	if t.word && t.capital {
		return 1
	}
	prev := toks[j-1]
	switch {
	case t.text == "." && (d.x.hon[prev.lower] || utf8.RuneCountInString(prev.text) == 1 && prev.capital) && capAt(j+1):
		return 1
	case t.text == "&" && capAt(j+1):
		return 1
	case !t.word:
		return 0
	case d.x.particles[t.text] && capAt(j+1) && !d.x.orgHeads[prev.lower]:
		return 1
	case (t.lower == "of" || t.lower == "for" || t.lower == "on") && (d.x.orgHeads[prev.lower] || d.x.roles[prev.lower]):
		if capAt(j + 1) {
			return 1
		}
		if j+1 < len(toks) && toks[j+1].lower == "the" && capAt(j+2) {
			return 2
		}
	case t.lower == "and" && capAt(j+1) && d.hasOrgConnector(i, j):
		return 1
	}
	return 0
}

// hasOrgConnector reports whether toks[i:j] holds "<org head> of|for|on".
func (d *doc) hasOrgConnector(i, j int) bool {
	for k := i + 1; k < j-1; k++ {
		l := d.toks[k].lower
		if (l == "of" || l == "for" || l == "on") && d.x.orgHeads[d.toks[k-1].lower] {
			return true
		}
	}
	return false
}

// placeOf looks a name up in the gazetteer: whether it is a place name or a
// demonym, and the country it belongs to.
func (d *doc) placeOf(name string) placeInfo {
	if d.x.g == nil {
		return placeInfo{}
	}
	if p, ok := d.places[name]; ok {
		return p
	}
	var pi placeInfo
	// A well-known organisation is not a place ("UN" is also a town in India,
	// "White House" a name of Casablanca).
	if d.x.known[name] {
		d.places[name] = pi
		return pi
	}
	// A country's demonym is that country ("German" is also a place in the
	// Isle of Man).
	if ps, ok := d.x.g.Demonym(name); ok && len(ps) > 0 && ps[0].Kind == gazetteer.KindCountry {
		pi = placeInfo{iso: ps[0].Country, place: true}
		d.places[name] = pi
		return pi
	}
	for _, p := range d.x.g.Lookup(name) {
		switch p.Kind {
		case gazetteer.KindCity, gazetteer.KindAdmin2:
			if p.Population < 20000 {
				continue
			}
		}
		pi.place = true
		if p.Kind == gazetteer.KindCountry {
			pi.iso = p.Country
			break
		}
		if pi.iso == "" {
			pi.iso = p.Country
		}
	}
	if !pi.place {
		if ps, ok := d.x.g.Demonym(name); ok && len(ps) > 0 {
			pi.place = true
			pi.iso = ps[0].Country
		}
	}
	d.places[name] = pi
	return pi
}

// countryPrefix returns the length (0–3 tokens) of a leading country name or
// demonym in toks[s:e] and its ISO code.
func (d *doc) countryPrefix(s, e int) (int, string) {
	if d.x.g == nil {
		return 0, ""
	}
	for k := min(3, e-s); k >= 1; k-- {
		if d.toks[s+k-1].lower == "of" || d.toks[s+k-1].text == "." {
			continue
		}
		pi := d.placeOf(d.text(s, s+k))
		if !pi.place || pi.iso == "" {
			continue
		}
		if k == 1 && d.x.known[d.toks[s].text] {
			return 0, ""
		}
		c, ok := d.x.g.Country(pi.iso)
		if !ok {
			continue
		}
		name := d.text(s, s+k)
		// Only countries and their demonyms qualify as a role's country.
		if gazetteer.Normalize(c.Name) == gazetteer.Normalize(name) || d.isCountryName(name, pi.iso) {
			return k, pi.iso
		}
	}
	return 0, ""
}

// isCountryName reports whether name is a name or demonym of the country iso
// rather than of a city or region in it.
func (d *doc) isCountryName(name, iso string) bool {
	for _, p := range d.x.g.Lookup(name) {
		if p.Kind == gazetteer.KindCountry && p.Country == iso {
			return true
		}
	}
	if ps, ok := d.x.g.Demonym(name); ok && len(ps) > 0 && ps[0].Kind == gazetteer.KindCountry && ps[0].Country == iso {
		return true
	}
	return false
}

func (d *doc) add(m mention) { d.ments = append(d.ments, m) }

// classify decides what the chunk toks[s:e] names and records its mentions.
// country comes from a possessive before it ("Iran's …"). It reports the
// country of a place chunk and whether the chunk is a place.
func (d *doc) classify(s, e int, country string) (string, bool) {
	x, toks := d.x, d.toks
	// Strip function words, calendar words and stray dots at the front.
	for s < e && (toks[s].text == "." || !toks[s].allCaps && (x.stop[toks[s].lower] || x.cal[toks[s].lower]) || x.particles[toks[s].text] || lowerAfterHyphen(toks[s].text)) {
		s++
	}
	for e > s && (toks[e-1].text == "." || toks[e-1].text == "&" || !toks[e-1].capital || !toks[e-1].allCaps && x.stop[toks[e-1].lower]) {
		e--
	}
	if s >= e {
		return "", false
	}
	whole := d.text(s, e)
	n := e - s
	last := toks[e-1].lower

	// Acronym defined right after the chunk: "Supreme National Security Council (SNSC)".
	if acr, ok := d.acronymAfter(s, e); ok {
		can := whole
		_, iso := d.countryPrefix(s, e)
		if iso == "" {
			iso = country
		}
		d.add(mention{ts: s, te: e, typ: Organisation, canonical: can, country: iso})
		d.add(mention{ts: acr, te: acr + 1, typ: Organisation, canonical: can, country: iso})
		return "", false
	}
	if x.known[whole] || n == 1 && x.known[strings.TrimSuffix(whole, ".")] {
		d.add(mention{ts: s, te: e, typ: Organisation, canonical: whole, country: country})
		return "", false
	}

	k, iso := d.countryPrefix(s, e)
	if k == n {
		return iso, true
	}
	if iso == "" {
		iso = country
	}

	// Role split: the last role word followed by a name.
	for r := e - 2; r >= s+k; r-- {
		if !x.roles[toks[r].lower] || toks[r].allCaps && toks[r].lower != "ceo" {
			continue
		}
		p := r + 1
		roleISO := ""
		// object: the role goes on with the office or body it names ("Leader
		// of the Opposition", "High Commissioner for Refugees", "CEO of Aer
		// Lingus"), which is part of the role, not of the name after it.
		object, theObj := false, false
		if toks[p].lower == "of" || toks[p].lower == "for" {
			q := p + 1
			content := false
			for q < e {
				if x.portfolio[toks[q].lower] {
					if l := toks[q].lower; l != "the" && l != "and" {
						content = true
					}
					q++
					continue
				}
				found := false
				for l := min(3, e-q); l >= 1; l-- {
					if pi := d.placeOf(d.text(q, q+l)); pi.place {
						roleISO, found, content = pi.iso, true, true
						q += l
						break
					}
				}
				if !found {
					break
				}
			}
			// "of the British House …": after "the", a place may only
			// qualify the office, so the name must still be a full one.
			theObj = content && toks[p+1].lower == "the" && q < e
			p = q
			object = !content && q < e || theObj
		}
		name := p
		for name < e && (x.hon[toks[name].lower] || toks[name].text == ".") {
			name++
		}
		if theObj {
			name = d.nameAfterObject(p, e)
		} else if object {
			name = d.nameAfterObject(p+1, e)
		}
		if object && name < 0 {
			// A role with no name after it: an office, not a person. A bare
			// surname after the office is kept only if coreference links it
			// to a full name.
			if e-p >= 2 && d.nameLike(e-1, e) && !x.notName[toks[e-1].lower] && !d.lowerUsed(e-1) {
				d.add(mention{ts: e - 1, te: e, single: true, role: d.text(s+k, e-1)})
				p = e - 1
			} else {
				p = e
			}
			d.addRoleOrgs(s, r, p, iso)
			return "", false
		}
		if name >= e || !d.nameLike(name, e) || x.roles[toks[name].lower] || e-name == 1 && (x.notName[toks[name].lower] || d.lowerUsed(name)) {
			continue
		}
		re := name
		for re > p && (x.hon[toks[re-1].lower] || toks[re-1].text == ".") {
			re--
		}
		role := d.text(s+k, re)
		switch {
		case d.intlOrg(s+k, name):
			// "UN Secretary-General Kofi Annan" is no country's.
			iso = ""
		case roleISO != "" && iso == "" && !d.hasOrg(p, name):
			// "Prime Minister of Iraq …", but not "director of The Asia
			// Foundation in Mongolia".
			iso = roleISO
		}
		d.addRoleOrgs(s, r, name, iso)
		d.add(mention{ts: name, te: e, typ: Person, canonical: d.text(name, e), role: role, country: iso})
		return "", false
	}

	// Honorific: "Mr Smith", "Dr. Jones".
	if x.hon[toks[s+k].lower] {
		name := s + k + 1
		for name < e && toks[name].text == "." {
			name++
		}
		if name < e && d.nameLike(name, e) {
			d.add(mention{ts: name, te: e, typ: Person, canonical: d.text(name, e), country: iso})
			return "", false
		}
	}

	// Organisation heads and company suffixes.
	if n >= 2 && (x.orgHeads[last] || x.orgSuffix[strings.TrimSuffix(last, ".")] || d.headBeforeOf(s, e)) {
		d.add(mention{ts: s, te: e, typ: Organisation, canonical: whole, country: iso})
		return "", false
	}
	if n == 1 && toks[s].allCaps && !strings.ContainsAny(whole, "0123456789") && !x.commonCaps[whole] && !x.commonCaps[strings.ReplaceAll(whole, ".", "")] {
		if pi := d.placeOf(whole); !pi.place || !d.isCountryName(whole, pi.iso) {
			d.add(mention{ts: s, te: e, typ: Organisation, canonical: whole, country: country})
			return "", false
		}
	}
	if x.nonEnt[last] {
		return "", false
	}
	pi := d.placeOf(whole)
	if !pi.place && n >= 2 && k == 0 {
		// Named after a country: "Environment Canada", "Team Estonia".
		lastPI := d.placeOf(toks[e-1].text)
		if lastPI.place && d.isCountryName(toks[e-1].text, lastPI.iso) {
			d.add(mention{ts: s, te: e, typ: Organisation, canonical: whole, country: country})
			return "", false
		}
	}
	if pi.place {
		d.add(mention{ts: s, te: e, single: true, place: true, country: pi.iso})
		return pi.iso, true
	}
	if k > 0 {
		s += k
		n = e - s
		whole = d.text(s, e)
	}
	if d.weakName(s, e) {
		d.add(mention{ts: s, te: e, typ: Person, canonical: whole, country: iso, weak: true})
		return "", false
	}
	if n == 1 {
		d.add(mention{ts: s, te: e, single: true, country: iso})
	}
	return "", false
}

// lowerElsewhere reports whether the word at token i also occurs in lower case
// in the document, a sign that a capitalised word is not a name.
func (d *doc) lowerElsewhere(i int) bool {
	if d.lowerWords == nil {
		d.lowerWords = make(map[string]bool, len(d.toks)/2)
		for _, t := range d.toks {
			if t.word && !t.capital {
				d.lowerWords[t.text] = true
			}
		}
	}
	return d.lowerWords[d.toks[i].lower]
}

// lowerUsed is lowerElsewhere without building the document's word set, for
// the few words asked about outside weakName.
func (d *doc) lowerUsed(i int) bool {
	if d.lowerWords != nil {
		return d.lowerWords[d.toks[i].lower]
	}
	w := d.toks[i].lower
	for _, t := range d.toks {
		if t.word && !t.capital && t.text == w {
			return true
		}
	}
	return false
}

// lowerAfterHyphen reports whether w is a capitalised prefix joined to a
// lower-case word ("Pan-democrat", "Pro-reform"), a modifier rather than a name.
func lowerAfterHyphen(w string) bool {
	if _, ok := hasNamePrefix(w); ok {
		return false
	}
	_, after, ok := strings.Cut(w, "-")
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(after)
	return unicode.IsLower(r)
}

// weakName reports whether toks[s:e], with no other cue, looks like a person's
// name: two or three capitalised words (plus particles), none of them a word
// that names no one or that the document also uses in lower case.
func (d *doc) weakName(s, e int) bool {
	if !d.nameLike(s, e) {
		return false
	}
	words := 0
	for k := s; k < e; k++ {
		t := d.toks[k]
		if !t.word || d.x.particles[t.text] {
			continue
		}
		words++
		if d.x.notName[t.lower] || (k > s || t.sentStart) && d.lowerElsewhere(k) {
			return false
		}
	}
	return words >= 2 && words <= 3
}

// nameLike reports whether toks[s:e] can be a person's name: capitalised words
// (not all capitals, not digits) and particles, not ending in an organisation
// or facility word.
func (d *doc) nameLike(s, e int) bool {
	x, toks := d.x, d.toks
	if x.orgHeads[toks[e-1].lower] || x.nonEnt[toks[e-1].lower] || x.orgSuffix[toks[e-1].lower] {
		return false
	}
	caps := 0
	for k := s; k < e; k++ {
		t := toks[k]
		switch {
		case t.text == "." || x.particles[t.lower] || t.text == "&":
		case !t.word || !t.capital:
			return false
		case t.allCaps && utf8.RuneCountInString(t.text) > 1:
			return false
		case x.cal[t.lower] && k == s, x.stop[t.lower], x.known[t.text]:
			return false
		case t.lower == "of" || t.lower == "for" || t.lower == "on" || t.lower == "and":
			return false
		default:
			caps++
		}
	}
	return caps > 0
}

// addRoleOrgs records the organisations named inside the role toks[s:p]
// whose head word is at r: before it ("Supreme National Security Council
// Secretary") and in the office after of/for ("CEO of Aer Lingus Ltd").
func (d *doc) addRoleOrgs(s, r, p int, iso string) {
	x, toks := d.x, d.toks
	oe := r
	for oe > s+1 && x.roleModsSet[toks[oe-1].lower] {
		oe--
	}
	if oe = d.orgEnd(s, oe); oe > s {
		d.add(mention{ts: s, te: oe, typ: Organisation, canonical: d.text(s, oe), country: iso})
	}
	q := r + 2
	for q < p && (toks[q].lower == "the" || !toks[q].capital) {
		q++
	}
	if q < p && (x.orgHeads[toks[p-1].lower] || x.known[d.text(q, p)]) && !d.intlOrg(q, p) {
		d.add(mention{ts: q, te: p, typ: Organisation, canonical: d.text(q, p)})
	}
}

// orgEnd returns the end of the organisation that opens toks[s:e] ("United
// Nations" in "United Nations High"), or s when there is none.
func (d *doc) orgEnd(s, e int) int {
	if !d.hasOrg(s, e) {
		return s
	}
	if d.headBeforeOf(s, e) {
		return e // "Bank of England"
	}
	for k := e; k > s; k-- {
		if d.x.orgHeads[d.toks[k-1].lower] || d.x.known[d.toks[k-1].text] {
			return k
		}
	}
	return s
}

// intlOrg reports whether toks[s:e] names an international organisation
// ("UN", "United Nations", "NATO"), whose officers are no country's.
func (d *doc) intlOrg(s, e int) bool {
	for k := s; k < e; k++ {
		t := d.toks[k]
		if d.x.intl[t.text] || t.lower == "nations" && k > s && d.toks[k-1].lower == "united" {
			return true
		}
	}
	return false
}

// nameAfterObject returns where a person's full name starts in toks[lo:e]
// after an office ("Kim Beazley" in "[Leader of the] Opposition Kim
// Beazley"): the shortest tail of two or more name words, or -1.
func (d *doc) nameAfterObject(lo, e int) int {
	for p := e - 2; p >= lo; p-- {
		t := d.toks[p]
		if !t.word || d.x.particles[t.text] || utf8.RuneCountInString(t.text) == 1 {
			continue
		}
		if d.fullName(p, e) {
			return p
		}
	}
	return -1
}

// fullName reports whether toks[s:e] reads as a person's full name: name-like
// words, two or more of them (particles and initials aside), none a role or a
// word that names no one.
func (d *doc) fullName(s, e int) bool {
	if !d.nameLike(s, e) {
		return false
	}
	words := 0
	for k := s; k < e; k++ {
		t := d.toks[k]
		if !t.word || d.x.particles[t.text] {
			continue
		}
		if d.x.notName[t.lower] {
			return false
		}
		if utf8.RuneCountInString(t.text) > 1 {
			words++
		}
	}
	return words >= 2
}

// hasOrg reports whether toks[s:e] names an organisation by a head word or a
// well-known name.
func (d *doc) hasOrg(s, e int) bool {
	for k := s; k < e; k++ {
		if d.x.orgHeads[d.toks[k].lower] || d.x.known[d.toks[k].text] {
			return true
		}
	}
	return false
}

// headBeforeOf reports whether an organisation head is followed by of/for/on
// inside the chunk ("Ministry of Foreign Affairs").
func (d *doc) headBeforeOf(s, e int) bool {
	for k := s; k < e-1; k++ {
		l := d.toks[k+1].lower
		if d.x.orgHeads[d.toks[k].lower] && (l == "of" || l == "for" || l == "on") {
			return true
		}
	}
	return false
}

// acronymAfter reports whether "(ACR)" follows toks[s:e] with ACR matching the
// initials of the chunk, returning the token index of ACR.
func (d *doc) acronymAfter(s, e int) (int, bool) {
	toks := d.toks
	if e+2 >= len(toks) || toks[e].text != "(" || toks[e+2].text != ")" || !toks[e+1].allCaps || e-s < 2 {
		return 0, false
	}
	acr := strings.ReplaceAll(toks[e+1].text, ".", "")
	var initials []rune
	for k := s; k < e; k++ {
		w := toks[k].text
		if rest, ok := hasNamePrefix(w); ok {
			w = rest
		}
		for part := range strings.SplitSeq(w, "-") {
			r, _ := utf8.DecodeRuneInString(part)
			if unicode.IsLetter(r) {
				initials = append(initials, unicode.ToUpper(r))
			}
		}
	}
	// The acronym's letters must appear in order among the initials, starting
	// with the first.
	ar := []rune(acr)
	if len(ar) < 2 || len(initials) == 0 || ar[0] != initials[0] {
		return 0, false
	}
	i := 0
	for _, r := range initials {
		if i < len(ar) && r == ar[i] {
			i++
		}
	}
	if i < len(ar) {
		return 0, false
	}
	return e + 1, true
}
