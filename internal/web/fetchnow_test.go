package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/fetch"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// TestSourcesFetchNow posts the "Fetch now" form of /sources against a real
// feed server and finds the feed's articles stored and the result shown.
func TestSourcesFetchNow(t *testing.T) {
	const token = "s3cret-token"
	ctx := context.Background()
	body, err := os.ReadFile("../feeds/testdata/fetchnow.rss")
	if err != nil {
		t.Fatal(err)
	}
	feedSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.rss" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	defer feedSrv.Close()

	// A store of its own, so the shared fixture keeps its articles.
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "fetch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := &pipeline.Pipeline{Store: db}
	poller := &feeds.Poller{
		// the SSRF guard must let the loopback test server through
		Client: fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second}),
		Store:  db,
		Ingest: p.FeedIngest(),
		Lookup: store.FeedLookup(db),
	}
	ts, _ := newSiteWith(t, token, func(s *Site) { s.Store = db; s.Fetcher = poller })
	good, err := db.AddFeed(ctx, feeds.Subscription{URL: feedSrv.URL + "/feed.rss"})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := db.AddFeed(ctx, feeds.Subscription{URL: feedSrv.URL + "/gone.rss", Title: "Gone"})
	if err != nil {
		t.Fatal(err)
	}

	list := get(t, nil, ts.URL+"/sources")
	checkStructure(t, "sources", list.doc)
	if n := len(findAll(list.doc, func(n *html.Node) bool {
		a, _ := attr(n, "action")
		return n.Data == "form" && a == "/sources/fetch"
	})); n != 2 {
		t.Errorf("%d fetch forms, want one per feed", n)
	}

	post := func(id int64, vals url.Values, hdr map[string]string) response {
		vals.Set("id", fmt.Sprint(id))
		req, _ := http.NewRequest("POST", ts.URL+"/sources/fetch", strings.NewReader(vals.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return do(t, nil, req)
	}
	own := map[string]string{"Origin": ts.URL}
	if r := post(good.ID, url.Values{}, own); r.status != 401 {
		t.Errorf("without the token: %d", r.status)
	}
	if r := post(good.ID, url.Values{"token": {token}}, map[string]string{"Origin": "https://evil.example"}); r.status != 403 {
		t.Errorf("cross-site: %d", r.status)
	}
	if page, _ := db.Articles(ctx, store.ArticleQuery{}); len(page.Articles) != 0 {
		t.Fatalf("refused posts stored %d articles", len(page.Articles))
	}

	r := post(good.ID, url.Values{"token": {token}}, own)
	loc := r.header.Get("Location")
	if r.status != 303 || !strings.HasPrefix(loc, "/sources?") || !strings.Contains(loc, "done=fetched") || !strings.Contains(loc, "new=3") {
		t.Fatalf("fetch now: %d to %q\n%.1000s", r.status, loc, r.body)
	}
	page, err := db.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(page.Articles) != 3 {
		t.Fatalf("%d articles stored, want 3 (%v)", len(page.Articles), err)
	}
	back := get(t, nil, ts.URL+loc)
	checkStructure(t, "sources after fetch", back.doc)
	notice := findAll(back.doc, class("notice"))
	if len(notice) != 1 || text(notice[0]) != "Fetched “Fetch Now Test Wire” (HTTP 200): 3 items, 3 new, 0 already stored, 0 rejected." {
		t.Errorf("status line after the fetch: %q", back.body)
	}

	// At once again: too soon.
	if r := post(good.ID, url.Values{"token": {token}}, own); r.status != 429 || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "cannot be fetched again yet") {
		t.Errorf("fetch again at once: %d %q", r.status, r.header.Get("Retry-After"))
	}
	// An unknown feed.
	if r := post(999999, url.Values{"token": {token}}, own); r.status != 404 {
		t.Errorf("unknown feed: %d", r.status)
	}
	// A failing feed: the failure is the result, read back from its state.
	r = post(bad.ID, url.Values{"token": {token}}, own)
	loc = r.header.Get("Location")
	if r.status != 303 || !strings.Contains(loc, "done=fetch-failed") {
		t.Fatalf("failing feed: %d to %q", r.status, loc)
	}
	back = get(t, nil, ts.URL+loc)
	problem := findAll(back.doc, class("problem"))
	if len(problem) != 1 || !strings.HasPrefix(text(problem[0]), "Fetching “Gone” failed (HTTP 404): fetch ") ||
		!strings.Contains(text(problem[0]), "The next try is in ") {
		t.Errorf("status line after a failed fetch: %q", back.body)
	}
	// A forged status line names no text from the URL.
	forged := get(t, nil, ts.URL+"/sources?done=fetched&feed=1&items=<b>x</b>&new=-4")
	if n := findAll(forged.doc, class("notice")); len(n) != 1 || strings.Contains(text(n[0]), "<b>") || strings.Contains(text(n[0]), "-4") {
		t.Errorf("forged status line: %v", forged.body)
	}

	// Without a fetcher there is no button.
	ts2, _ := newSiteWith(t, token, func(s *Site) { s.Store = db })
	if r := get(t, nil, ts2.URL+"/sources"); strings.Contains(r.body, "/sources/fetch") {
		t.Error("fetch buttons without a fetcher")
	}
}
