// Package storetest is the one test suite every store.Store backend must pass.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
)

// Run runs the suite; open returns a fresh, empty store for each subtest.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("PutAndDeduplicate", func(t *testing.T) { testPut(t, open(t)) })
	t.Run("ListSearchPaginate", func(t *testing.T) { testList(t, open(t)) })
	t.Run("Feeds", func(t *testing.T) { testFeeds(t, open(t)) })
	t.Run("StoriesAndMerges", func(t *testing.T) { testStories(t, open(t)) })
	t.Run("Alerts", func(t *testing.T) { testAlerts(t, open(t)) })
	t.Run("AlertQueue", func(t *testing.T) { testAlertQueue(t, open(t)) })
	t.Run("AlertRetention", func(t *testing.T) { testAlertRetention(t, open(t)) })
}

func mk(t *testing.T, id, url, title, text string, published time.Time) article.Article {
	t.Helper()
	a := article.Article{ID: id, URL: url, Title: title, Text: text, Published: published, Source: "Test Wire"}
	if err := normalize.Article(&a); err != nil {
		t.Fatalf("normalise %s: %v", id, err)
	}
	return a
}

func testPut(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := time.Date(2023, 3, 19, 10, 0, 0, 0, time.UTC)
	a := mk(t, "", "https://example.com/iran-iraq", "Iran and Iraq sign border pact", "Baghdad and Tehran agreed.", day)
	a.Analysis = &article.Analysis{Topics: []article.Topic{{Slug: "politics", IPTC: "medtop:11000000", Score: 0.9}}}
	b := mk(t, "", "https://example.com/other", "Quake hits Turkey", "A strong earthquake struck.", day.Add(time.Hour))
	sameURL := mk(t, "", "https://www.example.com/iran-iraq?utm_source=rss", "Different title", "Different text.", day)
	sameText := mk(t, "", "https://mirror.example.org/copy", "Iran and Iraq sign border pact!", "Baghdad and  Tehran agreed", day)
	out, err := s.PutArticles(ctx, []article.Article{a, b, sameURL, sameText})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Status{store.New, store.New, store.Duplicate, store.Duplicate}
	for i, o := range out {
		if o.Status != want[i] {
			t.Errorf("outcome %d = %s, want %s", i, o.Status, want[i])
		}
	}
	if out[2].DuplicateOf != a.ID || out[3].DuplicateOf != a.ID {
		t.Errorf("duplicates point to %q, %q, want %q", out[2].DuplicateOf, out[3].DuplicateOf, a.ID)
	}
	// Re-putting the same batch changes nothing.
	again, err := s.PutArticles(ctx, []article.Article{a, b})
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range again {
		if o.Status != store.Duplicate {
			t.Errorf("re-put %d = %s, want duplicate", i, o.Status)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 {
		t.Errorf("stats articles = %d, want 2", st.Articles)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title || !got.Published.Equal(day) || got.CanonicalURL != "https://example.com/iran-iraq" {
		t.Errorf("read back %+v", got)
	}
	if got.Analysis == nil || len(got.Analysis.Topics) != 1 || got.Analysis.Topics[0].Slug != "politics" {
		t.Errorf("analysis not kept: %+v", got.Analysis)
	}
	known, err := s.KnownURLs(ctx, []string{"https://example.com/iran-iraq", "https://example.com/unknown"})
	if err != nil || !known["https://example.com/iran-iraq"] || known["https://example.com/unknown"] {
		t.Errorf("KnownURLs = %v, %v", known, err)
	}
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
	if _, err := s.PutArticles(ctx, []article.Article{{Title: "raw"}}); err == nil {
		t.Errorf("unnormalised article accepted")
	}
}

func testList(t *testing.T, s store.Store) {
	ctx := context.Background()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var batch []article.Article
	for i := range 25 {
		topic := "election"
		if i%2 == 1 {
			topic = "football"
		}
		batch = append(batch, mk(t, fmt.Sprintf("id-%02d", i), fmt.Sprintf("https://news.example/%d", i),
			fmt.Sprintf("Report %d about the %s", i, topic), fmt.Sprintf("Body number %d mentions the %s in Zürich.", i, topic),
			base.Add(time.Duration(i)*time.Hour)))
	}
	if _, err := s.PutArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// Keyset pagination returns every article once, newest first.
	seen := map[string]bool{}
	var prev time.Time
	cur := ""
	pages := 0
	for {
		p, err := s.Articles(ctx, store.ArticleQuery{Limit: 10, Cursor: cur})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range p.Articles {
			if seen[a.ID] {
				t.Errorf("article %s listed twice", a.ID)
			}
			seen[a.ID] = true
			if !prev.IsZero() && a.Published.After(prev) {
				t.Errorf("listing not newest first at %s", a.ID)
			}
			prev = a.Published
		}
		if p.Next == "" {
			break
		}
		cur = p.Next
	}
	if len(seen) != 25 || pages != 3 {
		t.Errorf("listed %d articles in %d pages, want 25 in 3", len(seen), pages)
	}
	// Full-text search with pagination.
	n := 0
	cur = ""
	for {
		p, err := s.Articles(ctx, store.ArticleQuery{Q: "football", Limit: 5, Cursor: cur})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Articles {
			n++
			if a.Title == "" || !strings.Contains(a.Title, "football") {
				t.Errorf("search hit %q does not match", a.Title)
			}
		}
		if p.Next == "" {
			break
		}
		cur = p.Next
	}
	if n != 12 {
		t.Errorf("search football: %d hits, want 12", n)
	}
	// Diacritics-insensitive, operators harmless.
	if _, err := s.Articles(ctx, store.ArticleQuery{Q: `football AND OR NOT " NEAR(`}); err != nil {
		t.Errorf("search with FTS operators: %v", err)
	}
	for _, q := range []string{"zurich", "ZÜRICH", `"the football"`, "foot*", "elect*"} {
		p, err := s.Articles(ctx, store.ArticleQuery{Q: q, Limit: 50})
		if err != nil {
			t.Errorf("search %q: %v", q, err)
			continue
		}
		if len(p.Articles) == 0 {
			t.Errorf("search %q: no hits", q)
		}
	}
	p, err := s.Articles(ctx, store.ArticleQuery{Since: base.Add(20 * time.Hour), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Articles) != 5 {
		t.Errorf("since filter: %d articles, want 5", len(p.Articles))
	}
	if _, err := s.Articles(ctx, store.ArticleQuery{Cursor: "garbage!"}); !errors.Is(err, store.ErrCursor) {
		t.Errorf("bad cursor: err = %v, want ErrCursor", err)
	}
}

func testFeeds(t *testing.T, s store.Store) {
	ctx := context.Background()
	f, err := s.AddFeed(ctx, feeds.Subscription{URL: "https://example.com/rss", Title: "Example", Category: "World"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFeed(ctx, feeds.Subscription{URL: "https://example.com/rss"}); !errors.Is(err, store.ErrExists) {
		t.Errorf("duplicate feed: err = %v, want ErrExists", err)
	}
	if _, err := s.AddFeed(ctx, feeds.Subscription{URL: "https://example.org/atom"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	due, err := s.DueFeeds(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 2 {
		t.Fatalf("due feeds = %d, want 2", len(due))
	}
	st := due[0]
	st.ETag = `"abc"`
	st.LastFetch = now
	st.NextFetch = now.Add(15 * time.Minute)
	st.Items = 7
	if err := s.UpdateFeedState(ctx, st); err != nil {
		t.Fatal(err)
	}
	due, err = s.DueFeeds(ctx, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 {
		t.Errorf("after update, due = %d, want 1", len(due))
	}
	all, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ETag != `"abc"` || all[0].Items != 7 || all[0].Category != "World" || all[0].ID != f.ID {
		t.Errorf("feeds = %+v", all)
	}
	if err := s.RemoveFeed(ctx, "https://example.org/atom"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, fmt.Sprint(f.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, "https://nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remove missing: err = %v", err)
	}
	if st, _ := s.Stats(ctx); st.Feeds != 0 {
		t.Errorf("feeds after removal = %d", st.Feeds)
	}
}

func testStories(t *testing.T, s store.Store) {
	ctx := context.Background()
	day := time.Date(2023, 3, 19, 10, 0, 0, 0, time.UTC)
	var arts []article.Article
	for i := range 5 {
		arts = append(arts, mk(t, "", fmt.Sprintf("https://example.com/s/%d", i), fmt.Sprintf("Report %d", i),
			fmt.Sprintf("Text of report number %d.", i), day.Add(time.Duration(i)*time.Hour)))
	}
	if _, err := s.PutArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	pact := article.Story{ID: "s-pact", Headline: "Iran and Iraq sign border pact", ArticleCount: 2, IndependentSourceCount: 2,
		FirstSeen: day, LastSeen: day.Add(time.Hour),
		Sources: []article.StorySource{{ArticleID: arts[0].ID, Title: arts[0].Title}, {ArticleID: arts[1].ID, Title: arts[1].Title}},
		Focus:   []article.Focus{{GeonameID: 130758, Name: "Iran", Kind: "country", Country: "IR", Weight: 0.5}, {GeonameID: 99237, Name: "Iraq", Kind: "country", Country: "IQ", Weight: 0.5}},
		Topics:  []article.Topic{{Slug: "politics", Score: 0.9}, {Slug: "policy-and-legislation", Score: 0.7}}}
	quake := article.Story{ID: "s-quake", Headline: "Quake hits Turkey", ArticleCount: 1, IndependentSourceCount: 1,
		FirstSeen: day.Add(2 * time.Hour), LastSeen: day.Add(2 * time.Hour),
		Focus:  []article.Focus{{GeonameID: 298795, Name: "Turkey", Kind: "country", Country: "TR", Weight: 1}},
		Topics: []article.Topic{{Slug: "disaster-accident", Score: 0.95}}}
	late := article.Story{ID: "s-late", Headline: "Aftershock", ArticleCount: 1, IndependentSourceCount: 1,
		FirstSeen: day.Add(4 * time.Hour), LastSeen: day.Add(4 * time.Hour),
		Focus:  []article.Focus{{GeonameID: 298795, Name: "Turkey", Kind: "country", Country: "TR", Weight: 1}},
		Topics: []article.Topic{{Slug: "disaster-accident", Score: 0.9}}}
	err := s.PutStories(ctx, store.StoryUpdate{
		Stories: []article.Story{pact, quake, late},
		Assignments: []store.Assignment{{ArticleID: arts[0].ID, StoryID: "s-pact"}, {ArticleID: arts[1].ID, StoryID: "s-pact", DuplicateOf: arts[0].ID},
			{ArticleID: arts[2].ID, StoryID: "s-quake"}, {ArticleID: arts[4].ID, StoryID: "s-late"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Story(ctx, "s-pact")
	if err != nil {
		t.Fatal(err)
	}
	if got.Headline != pact.Headline || len(got.Focus) != 2 || got.Focus[1].Country != "IQ" || got.ArticleCount != 2 || !got.LastSeen.Equal(pact.LastSeen) {
		t.Errorf("story round trip = %+v", got)
	}
	if _, err := s.Story(ctx, "s-none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing story: err = %v, want ErrNotFound", err)
	}
	if st, _ := s.Stats(ctx); st.Stories != 3 {
		t.Errorf("stats count %d stories, want 3", st.Stories)
	}
	ids := func(q store.StoryQuery) string {
		t.Helper()
		var out []string
		for {
			page, err := s.Stories(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range page.Stories {
				out = append(out, st.ID)
			}
			if page.Next == "" {
				return strings.Join(out, " ")
			}
			q.Cursor = page.Next
		}
	}
	for _, c := range []struct {
		name string
		q    store.StoryQuery
		want string
	}{
		{"all, newest first, paged by one", store.StoryQuery{Limit: 1}, "s-late s-quake s-pact"},
		{"country", store.StoryQuery{Countries: []string{"iq"}}, "s-pact"},
		{"countries OR", store.StoryQuery{Countries: []string{"IQ", "TR"}}, "s-late s-quake s-pact"},
		{"place", store.StoryQuery{Places: []int64{298795}}, "s-late s-quake"},
		{"topic", store.StoryQuery{Topics: []string{"policy-and-legislation"}}, "s-pact"},
		{"topic and country", store.StoryQuery{Topics: []string{"disaster-accident"}, Countries: []string{"IR"}}, ""},
		{"since", store.StoryQuery{Since: day.Add(2 * time.Hour)}, "s-late s-quake"},
	} {
		if got := ids(c.q); got != c.want {
			t.Errorf("%s: stories %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := s.Stories(ctx, store.StoryQuery{Cursor: "not a cursor!"}); !errors.Is(err, store.ErrCursor) {
		t.Errorf("bad cursor: err = %v, want ErrCursor", err)
	}

	// Merge s-late into s-quake: the old ID redirects, its articles move.
	quake.ArticleCount, quake.LastSeen = 2, late.LastSeen
	quake.Merged = []string{"s-late"}
	if err := s.PutStories(ctx, store.StoryUpdate{Stories: []article.Story{quake}, Redirects: map[string]string{"s-late": "s-quake"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Story(ctx, "s-late"); err != nil || got.ID != "s-quake" || got.ArticleCount != 2 {
		t.Errorf("redirected story = %+v, %v; want s-quake with 2 articles", got, err)
	}
	if got := ids(store.StoryQuery{}); got != "s-quake s-pact" {
		t.Errorf("after merge: stories %q", got)
	}
	// Replay returns the window in arrival order with assignments.
	var replay []string
	err = s.Replay(ctx, day.Add(time.Hour), func(a *article.Article) error {
		story, dup := "", ""
		if a.Analysis != nil {
			story, dup = a.Analysis.StoryID, a.Analysis.DupOf
		}
		replay = append(replay, a.Title+"="+story+"/"+dup)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Report 1=s-pact/" + arts[0].ID + " Report 2=s-quake/ Report 3=/ Report 4=s-quake/"
	if got := strings.Join(replay, " "); got != want {
		t.Errorf("replay:\n got %s\nwant %s", got, want)
	}

	// A split: s-thompson was split from s-pact; only stories in the
	// window count, and a story with no link is not listed.
	pact.SplitOff = []string{"s-thompson"}
	thompson := article.Story{ID: "s-thompson", Headline: "Klitschko beats Thompson", ArticleCount: 1, IndependentSourceCount: 1,
		FirstSeen: day.Add(5 * time.Hour), LastSeen: day.Add(5 * time.Hour), SplitFrom: "s-pact"}
	old := article.Story{ID: "s-old-split", Headline: "Earlier split", ArticleCount: 1, IndependentSourceCount: 1,
		FirstSeen: day.Add(-72 * time.Hour), LastSeen: day.Add(-72 * time.Hour), SplitFrom: "s-quake"}
	if err := s.PutStories(ctx, store.StoryUpdate{Stories: []article.Story{pact, thompson, old}}); err != nil {
		t.Fatal(err)
	}
	links, err := s.SplitLinks(ctx, day.Add(-time.Hour))
	if err != nil || len(links) != 1 || links["s-thompson"] != "s-pact" {
		t.Errorf("split links since the window = %v, %v; want s-thompson → s-pact", links, err)
	}
	if links, err := s.SplitLinks(ctx, time.Time{}); err != nil || len(links) != 2 || links["s-old-split"] != "s-quake" {
		t.Errorf("all split links = %v, %v", links, err)
	}
	if got, err := s.Story(ctx, "s-pact"); err != nil || !slices.Equal(got.SplitOff, []string{"s-thompson"}) {
		t.Errorf("s-pact split off = %v, %v", got, err)
	}
}
