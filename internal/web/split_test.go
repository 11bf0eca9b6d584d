package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// TestStoryPageSplitLinks: a story split from another links back to it,
// and the story it was split from links to the split-off one.
func TestStoryPageSplitLinks(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "split.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	u := store.StoryUpdate{Stories: []article.Story{
		{ID: "s-aaaaaaaaaaaa", Headline: "Klitschko beats Rahman", ArticleCount: 3, FirstSeen: at, LastSeen: at, SplitOff: []string{"s-bbbbbbbbbbbb"}},
		{ID: "s-bbbbbbbbbbbb", Headline: "Klitschko beats Thompson", ArticleCount: 3, FirstSeen: at, LastSeen: at, SplitFrom: "s-aaaaaaaaaaaa"},
	}}
	if err := db.PutStories(ctx, u); err != nil {
		t.Fatal(err)
	}
	ts, _ := newSiteWith(t, "", func(s *Site) { s.Store = db })
	for _, tc := range []struct{ path, want, not string }{
		{"/stories/s-bbbbbbbbbbbb", `Split from <a href="/stories/s-aaaaaaaaaaaa">`, "split off into"},
		{"/stories/s-aaaaaaaaaaaa", `split off into <a href="/stories/s-bbbbbbbbbbbb">`, "Split from"},
	} {
		r := get(t, http.DefaultClient, ts.URL+tc.path)
		if r.status != 200 || !strings.Contains(r.body, tc.want) || strings.Contains(r.body, tc.not) {
			t.Errorf("%s: status %d, want %q and not %q in the page", tc.path, r.status, tc.want, tc.not)
		}
	}
}
