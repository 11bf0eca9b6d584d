package extract

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that no input makes Extract panic (or hit its panic safety net), and
// that a successful result is well-formed.
func FuzzExtract(f *testing.F) {
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range fixtures {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "<", "<html", "<p>x", "\x00\x01\x02", "\xef\xbb\xbf<p>bom</p>", "\xff\xfe<\x00p\x00>\x00",
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":{"@value":1},"author":[null,1,{"name":[]}]}</script><p>x</p>`,
		`<script type="application/ld+json">[[[[[[[[[[[[{"@graph":[{"@graph":[]}]}]]]]]]]]]]]</script>`,
		`<meta charset="utf-16"><p>text</p>`, `<meta charset="bogus"><p>text</p>`,
		`<table><tr><td><p>a<td><li>b</table>`, `<math><mi><svg><p>x</p></svg></mi></math>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 256<<10 {
			return
		}
		res, err := Extract(bytes.NewReader(in), nil, 128<<10)
		if errors.Is(err, errInternal) {
			t.Fatalf("internal error on %q: %v", in, err)
		}
		if err != nil {
			return
		}
		if res == nil || res.Text == "" {
			t.Fatalf("no error but no text: %+v", res)
		}
		for _, s := range []string{res.Text, res.Title, res.Byline, res.Lang, res.SiteName} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in result: %q", s)
			}
		}
	})
}
