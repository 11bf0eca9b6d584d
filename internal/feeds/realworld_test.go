package feeds

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// sharedDir locates the shared test data: $VANTAGE_SHARED, or a "shared"
// directory beside one of this package's ancestors. It skips the test when
// neither exists.
func sharedDir(t testing.TB, sub string) string {
	t.Helper()
	return sharedtest.Path(t, sub)
}

// parseWithTimeout runs Parse with a deadline so a hang fails the test
// instead of stalling it.
func parseWithTimeout(t *testing.T, data []byte, name string, d time.Duration) (*Feed, error) {
	t.Helper()
	type result struct {
		f   *Feed
		err error
	}
	ch := make(chan result, 1)
	go func() {
		f, err := Parse(data, "https://example.com/feed")
		ch <- result{f, err}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	select {
	case r := <-ch:
		return r.f, r.err
	case <-ctx.Done():
		t.Fatalf("%s: Parse did not finish within %v", name, d)
		return nil, nil
	}
}

// realWorldFeed reports whether a file under real-world/ is one of the
// captured feeds (not a discovery page, OPML file or licence).
func realWorldFeed(rel string) bool {
	base := filepath.Base(rel)
	switch {
	case strings.HasPrefix(base, "LICENSE"), strings.HasSuffix(base, ".md"):
		return false
	case strings.Contains(rel, "discovery-html"), strings.Contains(rel, string(filepath.Separator)+"opml"+string(filepath.Separator)):
		return false
	}
	return true
}

func TestParseRealWorld(t *testing.T) {
	root := sharedDir(t, "data/feeds/real-world")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if realWorldFeed(rel) {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var total, withItems, allDated, allTitled, items, dated, titled, badUTF8 int
	var failed []string
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		total++
		f, err := parseWithTimeout(t, data, rel, 10*time.Second)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", rel, err))
			continue
		}
		if len(f.Items) == 0 {
			failed = append(failed, rel+": no items")
			continue
		}
		withItems++
		d, ti := 0, 0
		for _, it := range f.Items {
			if !it.Published.IsZero() {
				d++
			}
			if it.Title != "" {
				ti++
			}
			for _, s := range []string{it.Title, it.Summary, it.Author, it.ContentHTML} {
				if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
					badUTF8++
					t.Logf("%s: invalid or replaced UTF-8 in %q", rel, truncate(s, 60))
					break
				}
			}
		}
		items += len(f.Items)
		dated += d
		titled += ti
		if d == len(f.Items) {
			allDated++
		} else {
			t.Logf("%s: %d of %d items dated", rel, d, len(f.Items))
		}
		if ti == len(f.Items) {
			allTitled++
		}
	}
	t.Logf("real-world: %d files, %d parsed with ≥1 item (%d items), %d with every item dated (%d items dated), %d with every item titled (%d items titled)",
		total, withItems, items, allDated, dated, allTitled, titled)
	for _, f := range failed {
		t.Logf("no items: %s", f)
	}

	// Regression guard. 10 of the 119 yield no items: 6 saved HTML content
	// fragments (feedjira/*FirstEntry*), an HTML "Document Moved" page, a
	// truncated JSON Feed, an RSS-in-JSON rendering that is not JSON Feed, and
	// feedjira/ITunesWithSingleQuotedAttributes.xml, whose unclosed
	// <itunes:category> swallows the items.
	if total < 119 {
		t.Errorf("found %d feed files, want 119", total)
	}
	if withItems < 109 {
		t.Errorf("%d files parsed with items, want ≥ 109", withItems)
	}
	if allDated < 100 {
		t.Errorf("%d feeds with every item dated, want ≥ 100", allDated)
	}
	if allTitled < 100 {
		t.Errorf("%d feeds with every item titled, want ≥ 100", allTitled)
	}
	if badUTF8 > 0 {
		t.Errorf("%d items with invalid UTF-8 or replacement characters", badUTF8)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
