package entities

import (
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark with its position in code points and
// bytes.
type token struct {
	text       string
	start, end int // code points, end exclusive
	bs, be     int // bytes
	word       bool
	capital    bool // starts with an upper-case letter (after a name prefix such as "al-")
	allCaps    bool // two or more letters, all upper case ("SNSC", "U.S.")
	sentStart  bool // first word of a sentence, paragraph or quotation
	lower      string
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' }

// tokenize splits s into words and punctuation. Words keep inner hyphens and
// apostrophes ("al-Sudani", "O'Brien"); a possessive "'s" is its own token;
// dotted initialisms ("U.S.", "D.C.") are one word.
func tokenize(s string, toks []token) []token {
	toks = toks[:0]
	cp := 0 // code point index of byte i
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < utf8.RuneSelf && (r == ' ' || r == '\t' || r == '\r') || r != utf8.RuneError && unicode.IsSpace(r) && r != '\n' {
			i += n
			cp++
			continue
		}
		if !isWordRune(r) {
			toks = append(toks, token{text: s[i : i+n], start: cp, end: cp + 1, bs: i, be: i + n})
			i += n
			cp++
			continue
		}
		// A word.
		bs, cs := i, cp
		i += n
		cp++
		letters := 1
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				i += n
				cp++
				letters++
				continue
			}
			if r == '-' || isApostrophe(r) || r == '.' {
				r2, n2 := utf8.DecodeRuneInString(s[i+n:])
				if r == '.' {
					// Initialism: single letters separated by dots ("U.S.").
					if letters == 1 && i+n < len(s) && unicode.IsLetter(r2) {
						r3, _ := utf8.DecodeRuneInString(s[i+n+n2:])
						if r3 == '.' {
							i += n + n2
							cp += 2
							letters = 1
							continue
						}
					}
					if letters == 1 && cp-cs >= 3 && isInitialism(s[bs:i]) {
						i += n
						cp++
					}
					break
				}
				if !isWordRune(r2) || i+n >= len(s) {
					break
				}
				if isApostrophe(r) && (r2 == 's' || r2 == 'S') {
					r3, _ := utf8.DecodeRuneInString(s[i+n+n2:])
					if i+n+n2 >= len(s) || !isWordRune(r3) {
						break // possessive
					}
				}
				i += n + n2
				cp += 2
				letters++
				continue
			}
			break
		}
		toks = append(toks, token{text: s[bs:i], start: cs, end: cp, bs: bs, be: i, word: true})
		// Possessive 's as its own token.
		if i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if isApostrophe(r) {
				r2, n2 := utf8.DecodeRuneInString(s[i+n:])
				if r2 == 's' || r2 == 'S' {
					end := i + n + n2
					if r3, _ := utf8.DecodeRuneInString(s[end:]); end >= len(s) || !isWordRune(r3) {
						toks = append(toks, token{text: s[i:end], start: cp, end: cp + 2, bs: i, be: end, word: true, lower: "'s"})
						i = end
						cp += 2
					}
				}
			}
		}
	}
	return toks
}

// isInitialism reports whether w is of the form "X.Y" (letters separated by
// single dots), so a final dot belongs to it.
func isInitialism(w string) bool {
	dots := 0
	for i, r := range w {
		if i%2 == 1 {
			if r != '.' {
				return false
			}
			dots++
		} else if r >= utf8.RuneSelf || !unicode.IsLetter(r) {
			return false
		}
	}
	return dots >= 1
}
