package geo

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// token is one word of the text: a run of letters and digits, with the apostrophes and
// full stops inside it (which the gazetteer's keys drop: "U.S." -> "us"). A possessive
// "'s" is split off and recorded in flags.
type token struct {
	start, end int // code points, end exclusive
	bstart     int // bytes
	bend       int
	id         uint32 // vocabulary id of the normalised word; 0 when no gazetteer name uses it
	flags      tokFlags
	sep        sepKind // what separates this token from the previous one
}

type tokFlags uint16

const (
	fCap        tokFlags = 1 << iota // first letter upper case
	fAllCaps                         // every letter upper case (and at least two letters)
	fLower                           // first letter lower case
	fPossessive                      // followed by 's / ’s
	fSentStart                       // first word of a sentence, paragraph or the text
	fParaStart                       // first word of the text or of a line
	fDigit                           // starts with a digit
	fAbbrev                          // followed by a full stop that does not end a sentence (Mr., St.)
)

// sepKind classifies the characters between two tokens.
type sepKind uint8

const (
	sepSpace    sepKind = iota // spaces only (or nothing)
	sepHyphen                  // a hyphen, possibly with spaces ("Iran-Iraq")
	sepComma                   // a comma
	sepSentence                // a sentence end (. ! ?) or a line break
	sepDash                    // a dash or colon (datelines: "BAGHDAD —")
	sepParen                   // an opening parenthesis
	sepOther                   // anything else (quotes, slashes, closing parentheses ...)
)

// matcher is a token-level trie over the gazetteer's name keys and demonyms.
type matcher struct {
	vocab map[string]uint32 // normalised word -> id (1-based)
	next  map[uint64]uint32 // (node<<32 | word id) -> child node
	entry []int32           // node -> entry index, -1 when the node ends no name
	ents  []entry
	depth int // longest name in words
}

// entry is what a trie node that ends a name carries.
type entry struct {
	key      string
	places   []*gazetteer.Place // gazetteer order: most important kinds first, then population
	demonyms []*gazetteer.Place // places an adjective or demonym refers to
}

// match is one occurrence of a name: tokens [i, j).
type match struct {
	i, j int
	e    int32
}

func newMatcher(g *gazetteer.Gazetteer) *matcher {
	m := &matcher{
		vocab: make(map[string]uint32, 200000),
		next:  make(map[uint64]uint32, 400000),
		entry: make([]int32, 1, 400000),
	}
	m.entry[0] = -1
	for key, ps := range g.NamePlaces() {
		e := m.insert(key)
		if e < 0 {
			continue
		}
		m.ents[e].places = ps
	}
	for key, ps := range g.Demonyms() {
		e := m.insert(key)
		if e < 0 {
			continue
		}
		m.ents[e].demonyms = ps
	}
	m.bareSeas()
	return m
}

// bareSeas are oceans and seas that news names by their first word alone ("across the
// Pacific", "the Mediterranean").
var bareSeas = []string{"pacific", "atlantic", "arctic", "mediterranean", "caribbean", "baltic", "adriatic", "aegean"}

var bareSeaKeys = wordSet(strings.Join(bareSeas, " "))

// bareSeas makes the first word of an ocean's or a sea's name name the water: "Pacific"
// is the ocean (or a region such as the Pacific Rim), never a town such as Pacific,
// Missouri or Atlantic, Iowa (the resolver takes the water's name as its own, not as an
// alternate name).
func (m *matcher) bareSeas() {
	for _, w := range bareSeas {
		var water *gazetteer.Place
		for _, suffix := range []string{" ocean", " sea"} {
			if e := m.find(w + suffix); e >= 0 {
				for _, c := range m.ents[e].places {
					if c.Kind == gazetteer.KindWater && gazetteer.Normalize(c.Name) == w+suffix {
						water = c
						break
					}
				}
			}
			if water != nil {
				break
			}
		}
		if water == nil {
			continue
		}
		e := m.insert(w)
		ps := []*gazetteer.Place{water}
		for _, c := range m.ents[e].places {
			switch c.Kind {
			case gazetteer.KindRegion, gazetteer.KindContinent, gazetteer.KindHotspot:
				ps = append(ps, c)
			}
		}
		m.ents[e].places = ps
	}
}

// insert adds a key (words separated by single spaces) and returns its entry index.
func (m *matcher) insert(key string) int32 {
	if key == "" {
		return -1
	}
	node := uint32(0)
	n := 0
	for w := range splitSpace(key) {
		id, ok := m.vocab[w]
		if !ok {
			id = uint32(len(m.vocab) + 1)
			m.vocab[w] = id
		}
		t := uint64(node)<<32 | uint64(id)
		child, ok := m.next[t]
		if !ok {
			child = uint32(len(m.entry))
			m.entry = append(m.entry, -1)
			m.next[t] = child
		}
		node = child
		n++
	}
	if n > m.depth {
		m.depth = n
	}
	if m.entry[node] < 0 {
		m.entry[node] = int32(len(m.ents))
		m.ents = append(m.ents, entry{key: key})
	}
	return m.entry[node]
}

// find returns the entry of a name key (words separated by single spaces), or -1.
func (m *matcher) find(key string) int32 {
	node := uint32(0)
	for w := range splitSpace(key) {
		id, ok := m.vocab[w]
		if !ok {
			return -1
		}
		if node, ok = m.next[uint64(node)<<32|uint64(id)]; !ok {
			return -1
		}
	}
	if node == 0 {
		return -1
	}
	return m.entry[node]
}

func splitSpace(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := 0
		for i := 0; i <= len(s); i++ {
			if i == len(s) || s[i] == ' ' {
				if i > start && !yield(s[start:i]) {
					return
				}
				start = i + 1
			}
		}
	}
}

// all appends every occurrence of a name in toks (overlapping ones included) to dst,
// ordered by start token, then length.
func (m *matcher) all(toks []token, dst []match) []match {
	for i := range toks {
		node := uint32(0)
		for j := i; j < len(toks) && j-i < m.depth; j++ {
			t := &toks[j]
			if t.id == 0 {
				break
			}
			if j > i && !joinable(toks[j-1], *t) {
				break
			}
			child, ok := m.next[uint64(node)<<32|uint64(t.id)]
			if !ok {
				break
			}
			node = child
			if e := m.entry[node]; e >= 0 {
				dst = append(dst, match{i: i, j: j + 1, e: e})
			}
		}
	}
	return dst
}

// joinable reports whether a name may run on from token a to token b: only spaces, a
// hyphen or an abbreviation's full stop may separate the words of one name, and a
// possessive ends it.
func joinable(a, b token) bool {
	if a.flags&fPossessive != 0 {
		return false
	}
	return b.sep == sepSpace || b.sep == sepHyphen
}

// tokenizer state is kept in the Parser's scratch buffers; tokenize appends the tokens of
// text to dst, looking words up in the vocabulary.
func (m *matcher) tokenize(text string, dst []token, buf []byte) ([]token, []byte) {
	cp := 0 // code point index of position i
	i := 0
	sep := sepSentence
	sentence := true
	para := true
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if !isWordRune(r) {
			switch {
			case r == '\n' || r == '\r':
				sep = sepSentence
				sentence, para = true, true
			case r == ' ' || r == '\t' || r == '\u00a0':
			case r == '-' && sep < sepHyphen:
				sep = sepHyphen
			case r == ',' || r == ';':
				if sep < sepComma {
					sep = sepComma
				}
			case r == '.' || r == '!' || r == '?':
				sep = sepSentence
				sentence = true
			case r == '—' || r == '–' || r == ':' || (r == '-' && sep == sepHyphen):
				if sep != sepSentence {
					sep = sepDash
				}
			case r == '(':
				if sep != sepSentence {
					sep = sepParen
				}
			default:
				if sep == sepSpace || sep == sepHyphen {
					sep = sepOther
				}
			}
			i += size
			cp++
			continue
		}
		// A word: letters and digits, with inner apostrophes and full stops.
		t := token{start: cp, bstart: i, sep: sep}
		if sentence {
			t.flags |= fSentStart
		}
		if para {
			t.flags |= fParaStart
		}
		first := true
		upper, letters := 0, 0
		lastLetterEnd, lastLetterCP := i, cp
		for i < len(text) {
			r, size = rune(text[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
			if isWordRune(r) {
				if first {
					switch {
					case unicode.IsUpper(r):
						t.flags |= fCap
					case unicode.IsLower(r):
						t.flags |= fLower
					case unicode.IsDigit(r):
						t.flags |= fDigit
					}
					first = false
				}
				if unicode.IsLetter(r) {
					letters++
					if unicode.IsUpper(r) {
						upper++
					}
				}
				i += size
				cp++
				lastLetterEnd, lastLetterCP = i, cp
				continue
			}
			if isInnerMark(r) && i+size < len(text) {
				r2, _ := utf8.DecodeRuneInString(text[i+size:])
				if isWordRune(r2) {
					i += size
					cp++
					continue
				}
			}
			break
		}
		t.bend, t.end = lastLetterEnd, lastLetterCP
		if letters >= 2 && upper == letters {
			t.flags |= fAllCaps
		}
		// Possessive: split off 's / ’s.
		w := text[t.bstart:t.bend]
		if n := len(w); n > 2 && (w[n-1] == 's' || w[n-1] == 'S') {
			if w[n-2] == '\'' {
				t.bend -= 2
				t.end -= 2
				t.flags |= fPossessive
			} else if n > 4 && w[n-4:n-1] == "\u2019" {
				t.bend -= 4
				t.end -= 2
				t.flags |= fPossessive
			}
			// "UN's", "NATO's": capitals before a lower-case possessive.
			if t.flags&fPossessive != 0 && w[n-1] == 's' && letters >= 3 && upper == letters-1 {
				t.flags |= fAllCaps
			}
		}
		// A full stop right after the word: an abbreviation (Mr., St., Tex.) unless it
		// ends the sentence; we guess by the word's shape.
		if i < len(text) && text[i] == '.' && (isAbbrev(text[t.bstart:t.bend]) || letters == 1) {
			t.flags |= fAbbrev
		}
		t.id, buf = m.lookup(text[t.bstart:t.bend], buf)
		sep = sepSpace
		sentence, para = false, false
		if t.flags&fAbbrev != 0 && i < len(text) && text[i] == '.' {
			if strings.ContainsRune(text[t.bstart:t.bend], '.') {
				t.bend++ // "U.S." keeps its last full stop
				t.end++
			}
			i++
			cp++
		}
		dst = append(dst, t)
	}
	return dst, buf
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isInnerMark reports the marks that stay inside a word when a letter follows them.
func isInnerMark(r rune) bool {
	switch r {
	case '\'', '.', '\u2019', '\u2018', '`', '\u02bb', '\u02bc':
		return true
	}
	return false
}

// lookup returns the vocabulary id of a word's normalised form.
func (m *matcher) lookup(w string, buf []byte) (uint32, []byte) {
	buf = buf[:0]
	ascii := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '\'' || c == '.' || c == '`':
		case c >= 'A' && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		default:
			buf = append(buf, c)
		}
		if !ascii {
			break
		}
	}
	if ascii {
		return m.vocab[string(buf)], buf
	}
	return m.vocab[gazetteer.Normalize(w)], buf
}
