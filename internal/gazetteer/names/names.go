// Package names turns place names into the match keys shared by the gazetteer builder, its
// indexes and the geoparser's matcher.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the match key of a name: compatibility-decomposed (NFKD), diacritics
// stripped, lower-cased, apostrophes and full stops removed ("St." -> "st", "U.S." -> "us",
// "N'Djamena" -> "ndjamena"), every other run of punctuation, symbols or spaces collapsed
// to one space, and trimmed. Letters that do not decompose are folded too (ø -> o, ß -> ss,
// ł -> l, ı -> i, æ -> ae). The key of a key is itself.
func Normalize(s string) string {
	if k, ok := asciiKey(s); ok {
		return k
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a separator is pending
	for _, r := range norm.NFKD.String(strings.ToValidUTF8(s, " ")) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case isDeleted(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if f, ok := fold[r]; ok {
				b.WriteString(f)
			} else if lr := unicode.ToLower(r); fold[lr] != "" {
				b.WriteString(fold[lr]) // fold the lower-case form too, so Normalize is idempotent
			} else {
				b.WriteRune(lr)
			}
		default:
			space = true
		}
	}
	return b.String()
}

// asciiKey is the fast path for pure ASCII input.
func asciiKey(s string) (string, bool) {
	clean := true // already a key: no upper case, no separators to collapse
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ' && !prevSpace:
			prevSpace = true
		default:
			clean = false
		}
	}
	if clean && !prevSpace || s == "" {
		return s, true
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '.' || c == '`':
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		default:
			space = true
		}
	}
	return string(b), true
}

// isDeleted reports runes dropped without leaving a word break: apostrophes, full stops and
// the modifier letters used as apostrophes in romanisations (ʻ ʼ ʹ).
func isDeleted(r rune) bool {
	switch r {
	case '\'', '.', '`', '\u2019', '\u2018', '\u02bb', '\u02bc', '\u02b9', '\u02be', '\u02bf', '\u00b4':
		return true
	}
	return false
}

// fold maps letters that NFKD leaves alone to their usual Latin transliteration.
var fold = map[rune]string{
	'ø': "o", 'Ø': "o", 'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'İ': "i", 'ħ': "h", 'Ħ': "h", 'ŧ': "t", 'Ŧ': "t", 'ŋ': "ng", 'Ŋ': "ng",
	'ɨ': "i", 'ƒ': "f", 'ĸ': "k", 'ſ': "s",
}
