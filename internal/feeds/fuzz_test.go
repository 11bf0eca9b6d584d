package feeds

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addSeeds adds up to limit files under the shared sub-directory to the
// corpus, if the shared data is present.
func addSeeds(f *testing.F, sub, suffix string, limit int) {
	root := os.Getenv("VANTAGE_SHARED")
	if root == "" {
		dir, _ := filepath.Abs(".")
		for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "shared")); err == nil {
				root = filepath.Join(dir, "shared")
				break
			}
		}
	}
	if root == "" {
		return
	}
	n := 0
	filepath.WalkDir(filepath.Join(root, sub), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, suffix) || n >= limit {
			return nil
		}
		if data, err := os.ReadFile(path); err == nil && len(data) < 64<<10 {
			f.Add(data)
			n++
		}
		return nil
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<rss version="2.0"><channel><title>t</title><item><title>&lt;b&gt;x</title><link>/a</link><pubDate>Seg, 24 Set 2018 19:32:00 -0300</pubDate></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">a</title><link href="b"/></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1,"tags":"a,b","author":"x"}]}`,
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><item><title>\xcf</title></item></channel></rss>",
		`<html><body><feed><entry><title>x`,
		`<item><title>fragment</title></item>`,
	} {
		f.Add([]byte(s))
	}
	addSeeds(f, "data/feeds/edge-cases/gofeed/parser", ".xml", 200)
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://example.com/feed")
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("recovered panic: %v", err)
			}
			return
		}
		for _, it := range feed.Items {
			_ = it.Article(feed.Title)
		}
	})
}

func FuzzParseOPML(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><body><outline text="a"><outline xmlUrl="u" text="t"/></outline></body></opml>`))
	f.Add([]byte(`<opml><body><outline category="/a/b,c" xmlURL="x"/></body>`))
	addSeeds(f, "data/feeds/real-world/rsparser/opml", ".opml", 2)
	f.Fuzz(func(t *testing.T, data []byte) {
		subs, err := ParseOPML(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, "t", subs); err != nil {
			t.Fatalf("WriteOPML after ParseOPML: %v", err)
		}
		again, err := ParseOPML(&buf)
		if err != nil {
			t.Fatalf("re-parse of written OPML: %v\n%s", err, buf.String())
		}
		if len(again) > len(subs) {
			t.Fatalf("round trip grew %d → %d", len(subs), len(again))
		}
	})
}
