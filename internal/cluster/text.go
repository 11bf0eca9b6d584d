package cluster

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/hash64"
)

// stopwords are English function words left out of the similarity vectors;
// they carry no information about which event a text reports.
var stopwords = func() map[string]struct{} {
	m := make(map[string]struct{})
	for _, w := range strings.Fields(`a about above after again against all also am an and any are as at be
	because been before being below between both but by can could did do does doing down during each few for
	from further had has have having he her here hers herself him himself his how i if in into is it its itself
	just me more most my myself no nor not now of off on once only or other our ours ourselves out over own
	said same says she should so some such than that the their theirs them themselves then there these they
	this those through to too under until up very was we were what when where which while who whom why will
	with would you your yours yourself yourselves s t don new one two year years told say us via
	mr mrs ms monday tuesday wednesday thursday friday saturday sunday today yesterday week`) {
		m[w] = struct{}{}
	}
	return m
}()

// words splits s into lower-case runs of letters and digits.
func words(s string) []string {
	var out []string
	start := -1
	apos := false // the current word holds an apostrophe
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if r == '\'' || r == '’' {
			apos = apos || start >= 0
			continue
		}
		if start >= 0 {
			out = append(out, lowerWord(s[start:i], apos))
			start, apos = -1, false
		}
	}
	if start >= 0 {
		out = append(out, lowerWord(s[start:], apos))
	}
	return out
}

// lowerWord lower-cases w and, when it holds an apostrophe, keeps
// "o'neill" together and drops a possessive "'s".
func lowerWord(w string, apos bool) string {
	w = strings.ToLower(w)
	if apos {
		w = strings.ReplaceAll(w, "’", "'")
		w = strings.TrimSuffix(w, "'s")
		w = strings.ReplaceAll(w, "'", "")
	}
	return w
}

// terms returns the content words of s, stemmed: stop-words and one-letter
// words are dropped.
func terms(s string) []string {
	ws := words(s)
	out := ws[:0]
	for _, w := range ws {
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		if _, stop := stopwords[w]; stop {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem is a light English suffix stripper (plurals and the commonest verb
// endings). It is deliberately conservative: conflating "rehab" with
// "rehabs" helps, over-stemming names does not.
func stem(w string) string {
	n := len(w)
	if n <= 3 || w[n-1] < 'a' || w[n-1] > 'z' {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:n-1]
	case strings.HasSuffix(w, "ing") && n > 6:
		return w[:n-3]
	case strings.HasSuffix(w, "ed") && n > 5:
		return w[:n-2]
	}
	return w
}

// hashString is 64-bit FNV-1a.
func hashString(s string) uint64 { return hash64.String(s) }

// mix64 is the splitmix64 finaliser: a cheap, well-distributed 64-bit mix.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "sen": true, "rep": true,
	"gov": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "jr": true, "sr": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "no": true, "vs": true, "u.s": true, "u.k": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "calif": true, "fla": true, "mass": true, "d.c": true,
}

// sentences splits text into sentences: at line breaks, and after . ! ? when
// the next word starts with an upper-case letter, a digit or a quote and the
// word before is not a known abbreviation or an initial.
func sentences(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		start := 0
		for i := 0; i < len(line); i++ {
			c := line[i]
			if c != '.' && c != '!' && c != '?' {
				continue
			}
			j := i + 1
			for j < len(line) && (line[j] == '"' || line[j] == '\'' || line[j] == ')') {
				j++
			}
			if j >= len(line) || line[j] != ' ' {
				continue
			}
			k := j
			for k < len(line) && line[k] == ' ' {
				k++
			}
			if k >= len(line) {
				continue
			}
			next, _ := utf8.DecodeRuneInString(line[k:])
			if !unicode.IsUpper(next) && !unicode.IsDigit(next) && next != '"' && next != '“' && next != '\'' {
				continue
			}
			if c == '.' {
				prev := lastWord(line[start:i])
				if abbreviations[strings.ToLower(prev)] || utf8.RuneCountInString(prev) == 1 {
					continue
				}
			}
			if s := strings.TrimSpace(line[start:j]); s != "" {
				out = append(out, s)
			}
			start = k
			i = k - 1
		}
		if s := strings.TrimSpace(line[start:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func lastWord(s string) string {
	i := strings.LastIndexAny(s, " (\"“")
	return s[i+1:]
}

// outletSeparators split a headline from a trailing outlet name.
var outletSeparators = []string{" - ", " | ", " — ", " – ", " :: ", " · "}

// CleanHeadline removes trailing outlet names from a title (" - Reuters",
// " | BBC News", " — The Guardian"). A trailing part is removed when it
// equals source (case-insensitive), or when it is short (at most four words,
// 40 bytes) and looks like a name: every word capitalised, or a domain.
// Repeated suffixes ("Title | World | BBC News") are removed one by one while
// they qualify; the headline itself is never removed.
func CleanHeadline(title, source string) string {
	t := strings.Join(strings.Fields(title), " ")
	for {
		cut, sepLen := -1, 0
		for _, sep := range outletSeparators {
			if i := strings.LastIndex(t, sep); i > cut {
				cut, sepLen = i, len(sep)
			}
		}
		if cut <= 0 || !looksLikeOutlet(strings.TrimSpace(t[cut+sepLen:]), source) {
			return t
		}
		head := strings.TrimSpace(t[:cut])
		if len(strings.Fields(head)) < 2 {
			return t
		}
		t = head
	}
}

func looksLikeOutlet(tail, source string) bool {
	if tail == "" {
		return false
	}
	if source != "" && strings.EqualFold(tail, strings.TrimSpace(source)) {
		return true
	}
	if len(tail) > 40 {
		return false
	}
	fs := strings.Fields(tail)
	if len(fs) > 4 {
		return false
	}
	low := strings.ToLower(tail)
	for _, d := range []string{".com", ".co.uk", ".org", ".net", ".de", ".fr"} {
		if strings.HasSuffix(low, d) {
			return true
		}
	}
	for _, f := range fs {
		r, _ := utf8.DecodeRuneInString(f)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) && f != "of" && f != "the" && f != "and" && f != "&" {
			return false
		}
	}
	return true
}

// calendarWords are capitalised words that name no participant.
var calendarWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`january february march april may june july august september october
	november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
	friday saturday sunday mon tue wed thu fri sat sun am pm gmt bst est edt pst pdt ist cet utc updated
	posted published last`) {
		m[w] = true
	}
	return m
}()

// nameTokens calls emit with the distinctive tokens of text, stemmed and
// lower-cased like terms: capitalised words that do not start a sentence
// (names of people, places, ships, teams), acronyms of up to five letters,
// and numbers of two digits or more that are not clock times (years, tolls,
// scores). These are what tells two similar events apart (two rehab
// check-ins by different actresses, two fires in different towns).
func nameTokens(text string, emit func(t string)) {
	initial := true // the next token starts a sentence
	start := -1
	for i := 0; i <= len(text); i++ {
		var r rune = ' '
		size := 1
		if i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || ((r == '\'' || r == '’') && start >= 0) {
			if start < 0 {
				start = i
			}
			i += size - 1
			continue
		}
		if start >= 0 {
			tok := text[start:i]
			var next byte
			if i < len(text) {
				next = text[i]
			}
			var prev byte
			if start > 0 {
				prev = text[start-1]
			}
			if prev == ' ' && start > 1 && text[start-2] == ':' {
				prev = ':' // "10: 04", as detokenised text writes clock times
			}
			emitName(tok, initial, prev, next, emit)
			initial = false
			start = -1
		}
		switch r {
		case '.', '!', '?', '\n', ':', '"', '“', '”', '|', '—', '–':
			initial = true
		}
		i += size - 1
	}
}

func emitName(tok string, initial bool, prev, next byte, emit func(string)) {
	first, _ := utf8.DecodeRuneInString(tok)
	if unicode.IsDigit(first) {
		if len(tok) < 2 || next == ':' || prev == ':' {
			return
		}
		for j := 0; j < len(tok); j++ {
			if tok[j] < '0' || tok[j] > '9' {
				return
			}
		}
		emit(tok)
		return
	}
	if initial || !unicode.IsUpper(first) {
		return
	}
	upper := true
	for _, r := range tok {
		if unicode.IsLower(r) {
			upper = false
			break
		}
	}
	if upper && len(tok) > 5 { // a shouted heading, not an acronym
		return
	}
	ws := words(tok)
	if len(ws) != 1 || utf8.RuneCountInString(ws[0]) < 2 {
		return
	}
	w := ws[0]
	if _, stop := stopwords[w]; stop || calendarWords[w] {
		return
	}
	emit(stem(w))
}
