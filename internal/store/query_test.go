package store_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/postgres"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

func word(w string) store.QueryTerm   { return store.QueryTerm{Words: []string{w}} }
func prefix(w string) store.QueryTerm { return store.QueryTerm{Words: []string{w}, Prefix: true} }
func phrase(ws ...string) store.QueryTerm {
	return store.QueryTerm{Words: ws, Phrase: true}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want []store.QueryTerm
	}{
		{"", nil},
		{"   \t\n", nil},
		{"iran iraq", []store.QueryTerm{word("iran"), word("iraq")}},
		{"  iran\t\niraq  ", []store.QueryTerm{word("iran"), word("iraq")}},
		{`"border pact" deal`, []store.QueryTerm{phrase("border", "pact"), word("deal")}},
		{`"u.s. border, pact"`, []store.QueryTerm{phrase("u", "s", "border", "pact")}},
		{`"single"`, []store.QueryTerm{word("single")}},
		{`"elect*"`, []store.QueryTerm{word("elect")}},
		{`""`, nil},
		{`" ,; "`, nil},
		{`"unterminated`, []store.QueryTerm{word("unterminated")}},
		{`"unterminated phrase`, []store.QueryTerm{phrase("unterminated", "phrase")}},
		{`a"b c"`, []store.QueryTerm{word("a"), word("b"), word("c")}},
		{`"a"b`, []store.QueryTerm{word("a"), word("b")}},
		{"AND OR NOT", []store.QueryTerm{word("AND"), word("OR"), word("NOT")}},
		{"u.s.-iran", []store.QueryTerm{word("u"), word("s"), word("iran")}},
		{"elect*", []store.QueryTerm{prefix("elect")}},
		{"u.s.-iran*", []store.QueryTerm{word("u"), word("s"), prefix("iran")}},
		{"elect* vote", []store.QueryTerm{prefix("elect"), word("vote")}},
		{"*elect", []store.QueryTerm{word("elect")}},
		{"ele*ct", []store.QueryTerm{word("ele"), word("ct")}},
		{"***", nil},
		{"* - ()", nil},
		{`it's:* & !x | (y)`, []store.QueryTerm{word("it"), prefix("s"), word("x"), word("y")}},
		{"Zürich 東京 2024", []store.QueryTerm{word("Zürich"), word("東京"), word("2024")}},
		{"bad\xffbyte", []store.QueryTerm{word("bad"), word("byte")}},
	}
	for _, tt := range tests {
		got := store.ParseQuery(tt.in)
		if !slices.EqualFunc(got, tt.want, func(a, b store.QueryTerm) bool {
			return slices.Equal(a.Words, b.Words) && a.Phrase == b.Phrase && a.Prefix == b.Prefix
		}) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// TestRenderedQueries: both backends render the same terms.
func TestRenderedQueries(t *testing.T) {
	tests := []struct{ in, fts, tsq string }{
		{"", "", ""},
		{"***", "", ""},
		{"iran iraq", `"iran" "iraq"`, `'iran' & 'iraq'`},
		{`"border pact" deal`, `"border pact" "deal"`, `('border' <-> 'pact') & 'deal'`},
		{`"single"`, `"single"`, `'single'`},
		{"u.s.-iran*", `"u" "s" "iran"*`, `'u' & 's' & 'iran':*`},
		{`NEAR(a b) "x" OR y*`, `"NEAR" "a" "b" "x" "OR" "y"*`, `'NEAR' & 'a' & 'b' & 'x' & 'OR' & 'y':*`},
	}
	for _, tt := range tests {
		if got := sqlite.FTSQuery(tt.in); got != tt.fts {
			t.Errorf("FTSQuery(%q) = %q, want %q", tt.in, got, tt.fts)
		}
		if got := postgres.TSQuery(tt.in); got != tt.tsq {
			t.Errorf("TSQuery(%q) = %q, want %q", tt.in, got, tt.tsq)
		}
	}
}

var (
	// ftsForm is FTS5 strings of letters and digits, a prefix mark after one.
	ftsForm = regexp.MustCompile(`^("[\pL\p{Nd}]+( [\pL\p{Nd}]+)*"\*?( "[\pL\p{Nd}]+( [\pL\p{Nd}]+)*"\*?)*)?$`)
	// tsqForm is quoted lexemes (a prefix mark after one), phrases of them
	// in parentheses, joined by &.
	tsqTerm = `('[\pL\p{Nd}]+'(:\*)?|\('[\pL\p{Nd}]+'( <-> '[\pL\p{Nd}]+')+\))`
	tsqForm = regexp.MustCompile(`^(` + tsqTerm + `( & ` + tsqTerm + `)*)?$`)
)

// only reports whether s holds nothing but letters, digits and the runes of
// allowed.
func only(s, allowed string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(allowed, r)
	}) < 0
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "iran iraq", `"border pact" deal`, `"unterminated`, "elect*", "u.s.-iran*",
		`it's:* & !x | (y)`, `a"b c"`, `NEAR(x y) AND "" OR -z ^w {col}: 'q'`, "Zürich 東京\u00a02024", "bad\xffbyte*", `"*"*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms := store.ParseQuery(s)
		for _, term := range terms {
			switch {
			case len(term.Words) == 0:
				t.Fatalf("ParseQuery(%q): term with no words", s)
			case term.Phrase && len(term.Words) < 2:
				t.Fatalf("ParseQuery(%q): phrase of one word %+v", s, term)
			case !term.Phrase && len(term.Words) != 1:
				t.Fatalf("ParseQuery(%q): word term of %d words %+v", s, len(term.Words), term)
			case term.Phrase && term.Prefix:
				t.Fatalf("ParseQuery(%q): prefix phrase %+v", s, term)
			}
			for _, w := range term.Words {
				if w == "" || !only(w, "") {
					t.Fatalf("ParseQuery(%q): word %q is not letters and digits", s, w)
				}
			}
		}
		fts, tsq := sqlite.FTSQuery(s), postgres.TSQuery(s)
		if (fts == "") != (len(terms) == 0) || (tsq == "") != (len(terms) == 0) {
			t.Fatalf("%q: %d terms, FTSQuery %q, TSQuery %q", s, len(terms), fts, tsq)
		}
		if !utf8.ValidString(fts) || !only(fts, `" *`) || !ftsForm.MatchString(fts) {
			t.Fatalf("FTSQuery(%q) = %q: not a plain FTS5 query", s, fts)
		}
		if !utf8.ValidString(tsq) || !only(tsq, `' &<->()*:`) || !tsqForm.MatchString(tsq) {
			t.Fatalf("TSQuery(%q) = %q: not a plain tsquery", s, tsq)
		}
	})
}

func TestRenderQuery(t *testing.T) {
	render := func(t store.QueryTerm) string {
		s := strings.Join(t.Words, "_")
		if t.Phrase {
			s = "[" + s + "]"
		}
		if t.Prefix {
			s += "~"
		}
		return s
	}
	for in, want := range map[string]string{
		"":                     "",
		"* ,":                  "",
		"one":                  "one",
		`"a b" c* "d"`:         "[a_b] + c~ + d",
		`x-y* "unterminated z`: "x + y~ + [unterminated_z]",
	} {
		if got := store.RenderQuery(in, " + ", render); got != want {
			t.Errorf("RenderQuery(%q) = %q, want %q", in, got, want)
		}
	}
}
