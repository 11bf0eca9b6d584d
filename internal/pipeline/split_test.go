package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// TestSplitSavesMovedArticles: a story stored before a restart holds two
// fights (three reports of one, two of the other, as when those were close
// enough to join); after the restart the next report of the second fight
// (the sixth, a split point) splits it, and the store ends with the moved
// reports and the new one in a story of their own and both records
// rewritten.
func TestSplitSavesMovedArticles(t *testing.T) {
	raw, err := os.ReadFile("../cluster/testdata/fights.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Rahman, Thompson []string }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	sets := [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {0, 1, 4, 5}} // no two reports near-duplicates
	report := func(id string, pool []string, k int) article.Article {
		var b strings.Builder
		for _, i := range sets[k] {
			b.WriteString(pool[i] + " ")
		}
		a := article.Article{ID: id, URL: "https://example.org/" + id, Title: "Klitschko defends heavyweight titles",
			Text: b.String(), Source: "Example " + id, Fetched: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)}
		if err := normalize.Article(&a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "split.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mixed := []article.Article{report("r1", f.Rahman, 0), report("r2", f.Rahman, 1), report("r3", f.Rahman, 2),
		report("t1", f.Thompson, 0), report("t2", f.Thompson, 1)}
	if _, err := db.PutArticles(ctx, mixed); err != nil {
		t.Fatal(err)
	}
	first := cluster.StoryID("r1")
	u := store.StoryUpdate{Stories: []article.Story{{ID: first, Headline: "Klitschko defends heavyweight titles", ArticleCount: 4}}}
	for _, a := range mixed {
		u.Assignments = append(u.Assignments, store.Assignment{ArticleID: a.ID, StoryID: first})
	}
	if err := db.PutStories(ctx, u); err != nil {
		t.Fatal(err)
	}

	fetched := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) // all reports fetched the same day, one window
	p := &Pipeline{Store: db, Stories: cluster.NewTracker(cluster.Options{}), Now: func() time.Time { return fetched }}
	if n, err := p.WarmStories(ctx); err != nil || n != 5 {
		t.Fatalf("warm-up replayed %d (%v), want 5", n, err)
	}
	next := report("t3", f.Thompson, 2)
	line, _ := json.Marshal(map[string]string{"id": next.ID, "url": next.URL, "title": next.Title, "text": next.Text, "source": next.Source})
	sum, err := p.Run(ctx, ingest.JSONLines(ctx, strings.NewReader(string(line)+"\n"), "next", ingest.Options{}))
	if err != nil || sum.New != 1 {
		t.Fatalf("run: %s, %v", sum, err)
	}
	if sum.Stories != 1 {
		t.Errorf("stories started %d, want 1 (the split)", sum.Stories)
	}
	second := cluster.StoryID("t1")
	want := map[string]string{"r1": first, "r2": first, "r3": first, "t1": second, "t2": second, "t3": second}
	for id, story := range want {
		a, err := db.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Analysis == nil || a.Analysis.StoryID != story {
			t.Errorf("article %s in %v, want %s", id, a.Analysis, story)
		}
	}
	for id, n := range map[string]int{first: 3, second: 3} {
		s, err := db.Story(ctx, id)
		if err != nil {
			t.Fatal(fmt.Errorf("story %s: %w", id, err))
		}
		var srcs []string
		for _, src := range s.Sources {
			srcs = append(srcs, src.ArticleID)
		}
		slices.Sort(srcs)
		if s.ArticleCount != n || len(srcs) != n {
			t.Errorf("story %s: %d articles, sources %v; want %d", id, s.ArticleCount, srcs, n)
		}
		if id == second && s.SplitFrom != first || id == first && !slices.Equal(s.SplitOff, []string{second}) {
			t.Errorf("story %s: split from %q, split off %v", id, s.SplitFrom, s.SplitOff)
		}
	}

	// After another restart the engine still knows the two apart.
	p2 := &Pipeline{Store: db, Stories: cluster.NewTracker(cluster.Options{})}
	if n, err := p2.WarmStories(ctx); err != nil || n != 6 {
		t.Fatalf("second warm-up replayed %d (%v), want 6", n, err)
	}
	rec, ok := p2.Stories.Record(second)
	old, ok2 := p2.Stories.Record(first)
	if !ok || !ok2 || rec.SplitFrom != first || !slices.Equal(old.SplitOff, []string{second}) {
		t.Errorf("after a restart: %s split from %q, %s split off %v", second, rec.SplitFrom, first, old.SplitOff)
	}
}
