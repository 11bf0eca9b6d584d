package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadabilityTitles compares Extract's titles with the ones Readability.js found on the
// English pages of its test suite. Readability.js's title is not the only right answer (it
// keeps site suffixes such as " | IAB" that JSON-LD headlines drop), so the test reports the
// match rate and guards it with a threshold rather than requiring every page to match.
func TestReadabilityTitles(t *testing.T) {
	dir := sharedDir(t, filepath.Join("data", "pages", "readability"))
	pages, err := filepath.Glob(filepath.Join(dir, "*", "expected-metadata.json"))
	if err != nil || len(pages) == 0 {
		t.Skipf("shared data not present: no readability pages in %s", dir)
	}
	var total, exact, loose int
	for _, metaPath := range pages {
		var want struct {
			Title string `json:"title"`
			Lang  string `json:"lang"`
		}
		raw, err := os.ReadFile(metaPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("%s: %v", metaPath, err)
		}
		if !strings.HasPrefix(strings.ToLower(want.Lang), "en") {
			continue
		}
		name := filepath.Base(filepath.Dir(metaPath))
		src, err := os.ReadFile(filepath.Join(filepath.Dir(metaPath), "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		total++
		res, err := Extract(bytes.NewReader(src), nil, 0)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, wantTitle := titleKey(res.Title), titleKey(want.Title)
		switch {
		case got == wantTitle:
			exact++
			loose++
		case got != "" && (strings.Contains(wantTitle, got) || strings.Contains(got, wantTitle)):
			loose++
			t.Logf("%s: partial: got %q, want %q", name, res.Title, want.Title)
		default:
			t.Logf("%s: mismatch: got %q, want %q", name, res.Title, want.Title)
		}
	}
	if total == 0 {
		t.Skip("shared data not present: no English readability pages")
	}
	t.Logf("titles of %d English pages: %d exact (%.0f%%), %d exact or contained (%.0f%%)",
		total, exact, 100*float64(exact)/float64(total), loose, 100*float64(loose)/float64(total))
	if float64(loose) < 0.85*float64(total) {
		t.Errorf("only %d of %d titles match, want >= 85%%", loose, total)
	}
}

// titleKey normalises a title for comparison: case, whitespace and typographic quotes.
func titleKey(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "–", "-", "—", "-").Replace(s)
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
