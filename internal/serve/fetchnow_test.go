package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/fetch"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// testPoller is a poller over db that runs fetched articles through p, wired
// as `vantage serve` wires it; the fetch client allows the loopback test
// server.
func testPoller(db store.Store, p *pipeline.Pipeline) *feeds.Poller {
	return &feeds.Poller{
		Client: fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second}),
		Store:  db,
		Ingest: p.FeedIngest(),
		Lookup: store.FeedLookup(db),
	}
}

// rssServer serves the feeds package's test RSS file at /feed.rss.
func rssServer(t *testing.T) *httptest.Server {
	t.Helper()
	body, err := os.ReadFile("../feeds/testdata/fetchnow.rss")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.rss" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestFetchFeedAPI(t *testing.T) {
	ctx := context.Background()
	feedSrv := rssServer(t)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "fetch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p := &pipeline.Pipeline{Store: db}
	s := &Server{Store: db, Pipeline: p, Token: "tok", Version: "test", Fetcher: testPoller(db, p)}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	f, err := db.AddFeed(ctx, feeds.Subscription{URL: feedSrv.URL + "/feed.rss"})
	if err != nil {
		t.Fatal(err)
	}
	fetchURL := fmt.Sprintf("%s/api/v1/feeds/%d/fetch", ts.URL, f.ID)

	tests := []struct {
		name, url, token string
		want             int
		contains         string
	}{
		{"no token", fetchURL, "", 401, "bearer token"},
		{"wrong token", fetchURL, "nope", 401, "bearer token"},
		{"unknown feed", ts.URL + "/api/v1/feeds/999/fetch", "tok", 404, "no feed 999"},
		{"not an id", ts.URL + "/api/v1/feeds/abc/fetch", "tok", 400, "integer"},
		{"unknown parameter", fetchURL + "?force=1", "tok", 400, "unknown query parameter"},
		{"fetch", fetchURL, "tok", 200, `"new":3`},
		{"again at once", fetchURL, "tok", 429, "less than 10s ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := do(t, "POST", tt.url, tt.token, "")
			if code != tt.want || !strings.Contains(body, tt.contains) {
				t.Fatalf("POST %s = %d %s, want %d containing %q", tt.url, code, body, tt.want, tt.contains)
			}
			if code >= 400 && h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("error content type = %q", h.Get("Content-Type"))
			}
			if code == 429 && h.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			if code == 200 {
				var res feeds.FetchResult
				if err := json.Unmarshal([]byte(body), &res); err != nil {
					t.Fatal(err)
				}
				if res.FeedID != f.ID || res.Status != 200 || res.Items != 3 || res.Duplicates != 0 || res.Error != "" ||
					res.Title != "Fetch Now Test Wire" || !res.NextFetch.After(time.Now().Add(10*time.Minute)) {
					t.Errorf("result %+v", res)
				}
			}
		})
	}
	page, err := db.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(page.Articles) != 3 {
		t.Fatalf("%d articles stored, want 3 (%v)", len(page.Articles), err)
	}
	for _, a := range page.Articles {
		if a.FeedID != f.ID || a.Source != "Fetch Now Test Wire" {
			t.Errorf("article %s: feed %d, source %q", a.URL, a.FeedID, a.Source)
		}
	}
	fs, _ := db.Feeds(ctx)
	if len(fs) != 1 || fs[0].LastFetch.IsZero() || fs[0].Items != 3 || fs[0].ErrorCount != 0 {
		t.Errorf("feed state after the fetch: %+v", fs)
	}
}

func TestFetchFeedAPIWithoutFetcher(t *testing.T) {
	ts, _ := newServer(t, "")
	if code, _, body := do(t, "POST", ts.URL+"/api/v1/feeds/1/fetch", "", ""); code != 503 || !strings.Contains(body, "not enabled") {
		t.Errorf("without a fetcher: %d %s", code, body)
	}
}
