package store

import (
	"strings"
	"unicode"
)

// QueryTerm is one thing a full-text search must match: a word, a word
// prefix, or a phrase of several words in order. Backends render terms in
// their own syntax (FTS5, tsquery); every term must match.
type QueryTerm struct {
	// Words holds runs of letters and digits only, never empty: one word,
	// or the words of a phrase.
	Words []string
	// Phrase: the words must stand together, in this order (always more
	// than one word).
	Phrase bool
	// Prefix: the word (never a phrase) may begin a longer one.
	Prefix bool
}

// ParseQuery reads what a user types into a search box: words, "quoted
// phrases" (an unterminated quote runs to the end) and prefixes (a word
// ending in '*'). Everything but letters and digits separates words, so
// operators of any query syntax in the input are read as words or dropped.
// A word such as "u.s.-iran" becomes one term per word ("u", "s", "iran"); a
// trailing '*' makes the last of them a prefix. A phrase of one word is a
// word term; a phrase or word with no letters or digits gives no term.
func ParseQuery(s string) []QueryTerm {
	var terms []QueryTerm
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return terms
		}
		if s[0] == '"' {
			var phrase string
			if end := strings.IndexByte(s[1:], '"'); end < 0 {
				phrase, s = s[1:], ""
			} else {
				phrase, s = s[1:end+1], s[end+2:]
			}
			switch ws := queryWords(phrase); len(ws) {
			case 0:
			case 1:
				terms = append(terms, QueryTerm{Words: ws})
			default:
				terms = append(terms, QueryTerm{Words: ws, Phrase: true})
			}
			continue
		}
		word := s
		if end := strings.IndexFunc(s, unicode.IsSpace); end >= 0 {
			word, s = s[:end], s[end:]
		} else {
			s = ""
		}
		ws := queryWords(word)
		for _, w := range ws {
			terms = append(terms, QueryTerm{Words: []string{w}})
		}
		if len(ws) > 0 && strings.HasSuffix(word, "*") {
			terms[len(terms)-1].Prefix = true
		}
	}
}

// RenderQuery puts s in a backend's query syntax: each term of
// ParseQuery(s) rendered by term, joined by and, the syntax's conjunction.
// It is "" when no term is left.
func RenderQuery(s, and string, term func(QueryTerm) string) string {
	terms := ParseQuery(s)
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = term(t)
	}
	return strings.Join(parts, and)
}

// queryWords splits s into runs of letters and digits.
func queryWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
