package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/demo"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// sampleEvents maps each demo report ID to its labelled event.
func sampleEvents(t *testing.T) map[string]string {
	t.Helper()
	events := map[string]string{}
	sc := bufio.NewScanner(demo.Sample())
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ ID, Event string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		events[r.ID] = r.Event
	}
	return events
}

// TestStoriesPersistAcrossRestart clusters the bundled sample inside the
// pipeline, checks the stored stories against the labelled events, then
// reopens the file with a fresh tracker and checks that a new report of a
// known event joins the story it joined before, under the same ID.
func TestStoriesPersistAcrossRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stories.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ans := realAnalysers(t)
	p := &Pipeline{Store: db, Analysers: ans, Stories: cluster.NewTracker(cluster.Options{}), BatchSize: 17}
	sum, err := p.Run(ctx, ingest.JSONLines(ctx, demo.Sample(), "sample", ingest.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 94 || sum.Stories == 0 {
		t.Fatalf("summary %s", sum)
	}
	events := sampleEvents(t)

	// Every stored article has a story; reports of one event share one.
	storyOf := map[string]string{} // article ID → story
	byEvent := map[string]map[string]int{}
	var pages int
	q := store.ArticleQuery{Limit: 50}
	for {
		page, err := db.Articles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.Articles {
			if a.Analysis == nil || a.Analysis.StoryID == "" {
				t.Fatalf("article %s has no story", a.ID)
			}
			storyOf[a.ID] = a.Analysis.StoryID
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if len(storyOf) != 94 {
		t.Fatalf("%d articles listed, want 94", len(storyOf))
	}
	// map the demo IDs (the article IDs are derived) through the source order
	var demoIDs []string
	var articleIDs []string
	err = db.Replay(ctx, time.Time{}, func(a *article.Article) error {
		articleIDs = append(articleIDs, a.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(demo.Sample())
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ ID string }
		json.Unmarshal(sc.Bytes(), &r)
		demoIDs = append(demoIDs, r.ID)
	}
	if len(demoIDs) != len(articleIDs) {
		t.Fatalf("%d demo reports, %d replayed", len(demoIDs), len(articleIDs))
	}
	for i, id := range demoIDs {
		ev := events[id]
		if byEvent[ev] == nil {
			byEvent[ev] = map[string]int{}
		}
		byEvent[ev][storyOf[articleIDs[i]]]++
	}
	split := 0
	for ev, stories := range byEvent {
		if len(stories) > 1 {
			split++
			t.Logf("event %s split over %d stories", ev, len(stories))
		}
	}
	if split > len(byEvent)/10 {
		t.Errorf("%d of %d events split over several stories", split, len(byEvent))
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for _, id := range storyOf {
		distinct[id] = true
	}
	if st.Stories != int64(len(distinct)) {
		t.Errorf("store has %d stories, the articles name %d", st.Stories, len(distinct))
	}

	// The stored record of the newest multi-report story is complete.
	var multi string
	recent, err := db.Stories(ctx, store.StoryQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range recent.Stories {
		if st.ArticleCount >= 2 {
			multi = st.ID
			break
		}
	}
	rec, err := db.Story(ctx, multi)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Headline == "" || rec.Summary == "" || rec.ArticleCount < 2 || len(rec.Focus) == 0 || len(rec.Topics) == 0 || len(rec.Sources) != rec.ArticleCount || rec.Sources[0].Title == "" {
		t.Errorf("story record incomplete: %+v", rec)
	}
	db.Close()

	// Restart: a fresh tracker warmed from the store keeps the IDs.
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p = &Pipeline{Store: db, Analysers: ans, Stories: cluster.NewTracker(cluster.Options{})}
	n, err := p.WarmStories(ctx)
	if err != nil || n < 2 || n >= 94 {
		t.Fatalf("warm: %d articles replayed (want the 7-day window), %v", n, err)
	}
	if got := p.Stories.Engine().Len(); got == 0 || int64(got) > st.Stories {
		t.Errorf("after warm-up the engine has %d live stories, the store %d", got, st.Stories)
	}
	// the newest story is in the window
	rec = &recent.Stories[0]
	orig, err := db.Article(ctx, rec.Sources[0].ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	follow := article.Article{URL: "https://other.example/follow-up", Title: orig.Title + " — update",
		Text: orig.Text + "\n\nMore details emerged on the following day.", Published: orig.Published.Add(20 * 3600e9), Source: "Other Wire"}
	sum, err = p.Run(ctx, records(ingest.Record{Article: follow, Where: "follow"}))
	if err != nil || sum.New != 1 || sum.Stories != 0 {
		t.Fatalf("follow-up: %s, %v", sum, err)
	}
	rec2, err := db.Story(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec2.ID != rec.ID || rec2.ArticleCount != rec.ArticleCount+1 {
		t.Errorf("follow-up did not join %s: now %s with %d articles (was %d)", rec.ID, rec2.ID, rec2.ArticleCount, rec.ArticleCount)
	}
}

func realAnalysers(t *testing.T) []Analyser {
	t.Helper()
	ans, err := Standard(nil)
	if err != nil {
		t.Fatal(err)
	}
	return ans
}
