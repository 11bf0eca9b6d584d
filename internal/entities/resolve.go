package entities

import "strings"

// nominalHeads are the organisation heads that, lower-cased after "the", refer
// back to the last organisation with that head ("the council").
const nominalHeads = `council ministry department party army navy agency university commission court parliament
committee union association organisation organization federation league company bank authority bureau board
foundation fund assembly congress senate cabinet alliance coalition corporation institute tribunal academy junta`

// aliases maps the short forms of the document's people to their full names,
// with the positions where those full names occur; a short form resolves to
// the nearest full name before it (else the first after it).
type aliases struct {
	surname, first map[string][]aliasAt
}

type aliasAt struct {
	pos int
	can string
}

func (a *aliases) addName(words []string, can string, pos int) {
	if len(words) < 2 {
		return
	}
	last := words[len(words)-1]
	a.surname[last] = append(a.surname[last], aliasAt{pos, can})
	if rest, ok := hasNamePrefix(last); ok {
		a.surname[rest] = append(a.surname[rest], aliasAt{pos, can})
	}
	a.surname[can] = append(a.surname[can], aliasAt{pos, can})
	a.first[words[0]] = append(a.first[words[0]], aliasAt{pos, can})
}

func nearest(l []aliasAt, pos int) string {
	if len(l) == 0 {
		return ""
	}
	best := l[0]
	for _, e := range l {
		if e.pos < pos && (best.pos >= pos || e.pos > best.pos) {
			best = e
		}
	}
	return best.can
}

func (a *aliases) lookup(key string, pos int) string {
	if can := nearest(a.surname[key], pos); can != "" {
		return can
	}
	if rest, ok := hasNamePrefix(key); ok {
		if can := nearest(a.surname[rest], pos); can != "" {
			return can
		}
	}
	return nearest(a.first[key], pos)
}

// nameWords returns the words of the mention's span, without dots.
func (d *doc) nameWords(m mention) []string {
	var w []string
	for k := m.ts; k < m.te; k++ {
		if d.toks[k].word {
			w = append(w, d.toks[k].text)
		}
	}
	return w
}

// resolve links short mentions to full names, defined acronyms to their
// expansions and "the council" to the council, and spreads roles and
// countries over each person's mentions.
func (d *doc) resolve(title *doc, titleNames []mention) {
	al := aliases{surname: map[string][]aliasAt{}, first: map[string][]aliasAt{}}
	acr := map[string]mention{}
	for _, m := range d.ments {
		if m.typ == Person && !m.weak {
			al.addName(d.nameWords(m), m.canonical, m.ts)
		}
	}
	// A weak name that opens with a known surname ("Warhol Polaroids") is not
	// a person.
	surnames := map[string]string{}
	for _, m := range d.ments {
		if w := d.nameWords(m); m.typ == Person && len(w) >= 2 {
			surnames[w[len(w)-1]] = m.canonical
		}
	}
	for i := range d.ments {
		m := &d.ments[i]
		if !m.weak {
			continue
		}
		w := d.nameWords(*m)
		if can, ok := surnames[w[0]]; ok && can != m.canonical {
			m.typ = ""
		}
	}
	for _, m := range d.ments {
		switch {
		case m.typ == Person && m.weak:
			al.addName(d.nameWords(m), m.canonical, m.ts)
			delete(al.first, d.nameWords(m)[0])
		case m.typ == Organisation && m.te-m.ts == 1 && d.text(m.ts, m.te) != m.canonical:
			acr[d.text(m.ts, m.te)] = m
		}
	}
	for _, m := range titleNames {
		al.addName(title.nameWords(m), m.canonical, -1)
	}
	for i := range d.ments {
		m := &d.ments[i]
		key := d.text(m.ts, m.te)
		switch {
		case m.single:
			if a, ok := acr[key]; ok {
				m.typ, m.canonical, m.country, m.single = Organisation, a.canonical, a.country, false
			} else if can := al.lookup(key, m.ts); can != "" {
				m.typ, m.canonical, m.single = Person, can, false
				m.country = ""
			} else if !m.place && d.speaks(m.ts, m.te) {
				m.typ, m.canonical, m.single = Person, key, false
			}
		case m.typ == Person && len(d.nameWords(*m)) == 1:
			if can := al.lookup(key, m.ts); can != "" {
				m.canonical = can
			}
		case m.typ == Organisation && m.te-m.ts == 1:
			if a, ok := acr[key]; ok {
				m.canonical = a.canonical
				if m.country == "" {
					m.country = a.country
				}
			}
		}
	}
	for i := range d.ments {
		if m := &d.ments[i]; m.typ == Person && m.role == "" {
			d.roleAround(m)
		}
	}
	// Spread roles and countries over every mention of the same person.
	type rc struct{ role, country string }
	seen := map[string]rc{}
	for _, m := range d.ments {
		if m.typ != Person {
			continue
		}
		v := seen[m.canonical]
		if v.role == "" {
			v.role = m.role
		}
		if v.country == "" {
			v.country = m.country
		}
		seen[m.canonical] = v
	}
	for i := range d.ments {
		m := &d.ments[i]
		if m.typ != Person {
			continue
		}
		v := seen[m.canonical]
		if m.role == "" {
			m.role = v.role
		}
		if m.country == "" {
			m.country = v.country
		}
	}
	d.nominals(wordSet(nominalHeads))
}

// nominals adds "the council" mentions that follow a named council.
func (d *doc) nominals(heads map[string]bool) {
	toks := d.toks
	var found []mention
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].lower != "the" || !toks[i+1].word || toks[i+1].capital || !heads[toks[i+1].lower] {
			continue
		}
		if i+2 < len(toks) && toks[i+2].word && !toks[i+2].capital && toks[i+2].lower != "'s" && heads[toks[i+2].lower] {
			continue
		}
		var best *mention
		for k := range d.ments {
			m := &d.ments[k]
			if m.typ != Organisation || m.te > i || m.nominal {
				continue
			}
			words := strings.Fields(m.canonical)
			if len(words) < 2 || strings.ToLower(words[len(words)-1]) != toks[i+1].lower && strings.ToLower(words[0]) != toks[i+1].lower {
				continue
			}
			if best == nil || m.te > best.te {
				best = m
			}
		}
		if best != nil {
			found = append(found, mention{ts: i + 1, te: i + 2, typ: Organisation, canonical: best.canonical, country: best.country, nominal: true})
		}
	}
	d.ments = append(d.ments, found...)
}

// roleAround fills a person's role from the words around the name:
// "X, the foreign minister," or "Iran's foreign minister X".
func (d *doc) roleAround(m *mention) {
	x, toks := d.x, d.toks
	// After: ", [the|a|an|Country's] ... role [of|for ...],"
	if k := m.te; k+1 < len(toks) && toks[k].text == "," {
		k++
		iso, possISO := "", ""
		switch {
		case toks[k].lower == "the" || toks[k].lower == "a" || toks[k].lower == "an":
			k++
		case toks[k].capital && k+1 < len(toks) && toks[k+1].lower == "'s":
			if pi := d.placeOf(toks[k].text); pi.place {
				iso, possISO = pi.iso, pi.iso
				k += 2
			}
		}
		start := k
		for h := k; h < len(toks) && h < k+5 && toks[h].word && !toks[h].allCaps; h++ {
			if toks[h].capital {
				if pi := d.placeOf(toks[h].text); pi.place && pi.iso != "" && iso == "" {
					iso = pi.iso
				}
			}
			if !x.roles[toks[h].lower] {
				continue
			}
			end := h + 1
			if end < len(toks) && !toks[end].word {
				d.setRole(m, start, h, end, iso, "", possISO)
				return
			}
			if end < len(toks) && (toks[end].lower == "of" || toks[end].lower == "for" || toks[end].lower == "at" || toks[end].lower == "to") {
				for q := end + 1; q < len(toks) && q < end+8; q++ {
					if !toks[q].word {
						objISO := ""
						for p := end + 1; p < q && objISO == ""; p++ {
							// Longest place first: "New South Wales".
							for l := min(3, q-p); l >= 1 && toks[p].capital; l-- {
								if pi := d.placeOf(d.text(p, p+l)); pi.place && pi.iso != "" {
									objISO = pi.iso
									break
								}
							}
						}
						d.setRole(m, start, h, q, iso, objISO, possISO)
						return
					}
				}
			}
			break
		}
	}
	// Before: "[Country's|Demonym] foreign minister X", also with a comma
	// ("Iran's president, Mahmoud Ahmadinejad").
	k := m.ts - 1
	comma := false
	if k >= 1 && toks[k].text == "," && toks[k-1].word && x.roles[toks[k-1].lower] && !toks[k-1].allCaps {
		k--
		comma = true
	}
	if k < 0 || !toks[k].word || !x.roles[toks[k].lower] {
		return
	}
	if toks[k].capital && (!comma || k == 0 || toks[k-1].lower != "'s") {
		// A capitalised role right before the name is in its chunk; before
		// a comma it is taken only after a possessive ("Iran's President,
		// Mahmoud Ahmadinejad").
		return
	}
	start := k
	for start-1 >= 0 && start > k-3 && toks[start-1].word && !toks[start-1].capital && toks[start-1].lower != "'s" && !x.stop[toks[start-1].lower] {
		start--
	}
	// An organisation right before the role is part of it: "U.N.
	// secretary-general Kofi Annan", "Secret Service spokesman Eric Zahren".
	if p := start - 1; p >= 0 && toks[p].capital {
		ostart := -1
		if x.known[toks[p].text] || toks[p].allCaps && !d.placeOf(toks[p].text).place {
			ostart = p
		}
		for _, o := range d.ments {
			if o.typ == Organisation && o.te == start && !o.nominal {
				ostart = o.ts
			}
		}
		if ostart >= 0 {
			m.role = d.text(ostart, k+1)
			if d.intlOrg(ostart, k+1) {
				m.country = ""
			}
			return
		}
	}
	iso := ""
	if p := start - 1; p >= 0 {
		if toks[p].lower == "'s" && p >= 1 {
			p--
		}
		// Skip capitalised modifiers: "Australian Federal treasurer".
		for q := p; q >= 0 && q > p-2 && toks[q].capital && x.placeMods[toks[q].lower]; q-- {
			p = q - 1
		}
		if p >= 0 {
			iso = d.placeEndingAt(p)
		}
	}
	if comma && iso == "" {
		// "…, said the president, Smith" is too loose to take.
		return
	}
	m.role = d.text(start, k+1)
	if m.country == "" {
		m.country = iso
	}
}

// placeEndingAt returns the country of a place name of one to three words
// ending at token p ("San Francisco mayor …"), or "".
func (d *doc) placeEndingAt(p int) string {
	for l := min(3, p+1); l >= 1; l-- {
		a := p - l + 1
		ok := true
		for q := a; q <= p; q++ {
			if !d.toks[q].word || !d.toks[q].capital {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if pi := d.placeOf(d.text(a, p+1)); pi.place {
			return pi.iso
		}
	}
	return ""
}

// setRole gives m the role toks[s:e], with its head word at h, found after
// its name. The country is the one of a possessive opening the role ("X,
// Iran's foreign minister,"), else of a place before the head ("X, a Canadian
// MP,", "X, Texas Alcoholic Beverage Commission spokesman,") unless the head
// is followed by an organisation it serves ("X, Mongolia director of The Asia
// Foundation,"), else of a place after it ("X, Commissioner of the Australian
// Federal Police,"); none for a role in an international organisation.
func (d *doc) setRole(m *mention, s, h, e int, preISO, objISO, possISO string) {
	m.role = d.text(s, e)
	if m.country != "" {
		return
	}
	ie := e
	if h+1 < e && d.toks[h+1].lower == "to" {
		ie = h + 1 // "Syria's ambassador to the UN" is Syria's
	}
	switch {
	case d.intlOrg(s, ie):
	case possISO != "":
		m.country = possISO
	case preISO != "" && !d.hasOrg(h+1, ie):
		m.country = preISO
	case preISO == "":
		m.country = objISO
	}
}

// speechVerbs mark a person speaking right after or before a name.
const speechVerbs = `said says told added explained stated wrote noted argued claimed asked replied insisted warned`

// speaks reports whether a speech verb follows or precedes toks[s:e] ("Wilkins
// said", "said Wilkins").
func (d *doc) speaks(s, e int) bool {
	if e < len(d.toks) && d.x.speech[d.toks[e].lower] {
		return true
	}
	return s > 0 && d.x.speech[d.toks[s-1].lower] && (e >= len(d.toks) || !d.toks[e].word)
}
