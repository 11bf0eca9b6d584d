package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/fetch"
)

// memStore is an in-memory StateStore.
type memStore struct {
	mu    sync.Mutex
	feeds map[int64]FeedState
}

func newMemStore(feeds ...FeedState) *memStore {
	s := &memStore{feeds: make(map[int64]FeedState)}
	for _, f := range feeds {
		s.feeds[f.ID] = f
	}
	return s
}

func (s *memStore) DueFeeds(_ context.Context, now time.Time) ([]FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []FeedState
	for _, f := range s.feeds {
		if !f.NextFetch.After(now) {
			due = append(due, f)
		}
	}
	return due, nil
}

func (s *memStore) UpdateFeedState(_ context.Context, st FeedState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.feeds[st.ID]; !ok {
		return fmt.Errorf("no feed %d", st.ID)
	}
	s.feeds[st.ID] = st
	return nil
}

func (s *memStore) get(id int64) FeedState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.feeds[id]
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// collector is a Sink that remembers what it was given.
type collector struct {
	mu   sync.Mutex
	arts []article.Article
	fail error
}

func (c *collector) sink(_ context.Context, _ FeedState, arts []article.Article) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	c.arts = append(c.arts, arts...)
	return nil
}

const rssFeed = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test News</title><link>%[1]s/</link>
<item><title>Long story</title><link>%[1]s/long</link><guid>long</guid>
<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate>
<description>%[2]s</description></item>
<item><title>Short story</title><link>%[1]s/short</link><guid>short</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>
<description>Just a teaser.</description></item>
</channel></rss>`

func TestPollerConditionalAndBackoff(t *testing.T) {
	var (
		mode     atomic.Value // "ok", "fail", "retry"
		requests atomic.Int32
		gotINM   atomic.Value
	)
	mode.Store("ok")
	gotINM.Store("")
	long := strings.Repeat("Plenty of words in the summary. ", 30)
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed" {
			http.NotFound(w, r)
			return
		}
		requests.Add(1)
		gotINM.Store(r.Header.Get("If-None-Match"))
		switch mode.Load().(string) {
		case "fail":
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		case "retry":
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		case "retry-year":
			w.Header().Set("Retry-After", "31536000")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprintf(w, rssFeed, ts.URL, long)
	}))
	defer ts.Close()

	start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clk := &clock{t: start}
	store := newMemStore(FeedState{ID: 1, URL: ts.URL + "/feed"})
	sink := &collector{}
	p := &Poller{
		Client: fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second, Now: clk.Now}),
		Store:  store,
		Sink:   sink.sink,
		Now:    clk.Now,
	}

	type step struct {
		name       string
		mode       string
		advance    time.Duration // clock moves before the poll
		wantReport Report
		wantErrors int
		wantNext   time.Duration // NextFetch − poll time
		wantINM    string        // If-None-Match the server saw
	}
	steps := []step{
		{"first fetch", "ok", 0, Report{Polled: 1, Items: 2, Articles: 2}, 0, 15 * time.Minute, ""},
		{"not yet due", "ok", time.Minute, Report{}, 0, 14 * time.Minute, ""},
		{"not modified", "ok", 15 * time.Minute, Report{Polled: 1, NotModified: 1}, 0, 15 * time.Minute, `"v1"`},
		{"failure 1", "fail", 15 * time.Minute, Report{Polled: 1, Failed: 1}, 1, 5 * time.Minute, `"v1"`},
		{"failure 2", "fail", 5 * time.Minute, Report{Polled: 1, Failed: 1}, 2, 10 * time.Minute, `"v1"`},
		{"failure 3", "fail", 10 * time.Minute, Report{Polled: 1, Failed: 1}, 3, 20 * time.Minute, `"v1"`},
		{"retry-after beats backoff", "retry", 20 * time.Minute, Report{Polled: 1, Failed: 1}, 4, 2 * time.Hour, `"v1"`},
		{"recovery resets errors", "ok", 2 * time.Hour, Report{Polled: 1, NotModified: 1}, 0, 15 * time.Minute, `"v1"`},
		{"retry-after capped at a week", "retry-year", 15 * time.Minute, Report{Polled: 1, Failed: 1}, 1, 7 * 24 * time.Hour, `"v1"`},
	}
	for _, s := range steps {
		clk.set(clk.Now().Add(s.advance))
		mode.Store(s.mode)
		before := requests.Load()
		rep, err := p.PollOnce(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		failed := len(rep.Errors)
		rep.Errors = nil
		if diff := cmp.Diff(s.wantReport, rep); diff != "" {
			t.Errorf("%s: report (-want +got):\n%s", s.name, diff)
		}
		if failed != s.wantReport.Failed {
			t.Errorf("%s: %d error entries, want %d", s.name, failed, s.wantReport.Failed)
		}
		st := store.get(1)
		if st.ErrorCount != s.wantErrors {
			t.Errorf("%s: ErrorCount = %d, want %d (LastError %q)", s.name, st.ErrorCount, s.wantErrors, st.LastError)
		}
		if got := st.NextFetch.Sub(clk.Now()); got != s.wantNext {
			t.Errorf("%s: NextFetch = now+%v, want now+%v", s.name, got, s.wantNext)
		}
		if requests.Load() > before {
			if got := gotINM.Load().(string); got != s.wantINM {
				t.Errorf("%s: server saw If-None-Match %q, want %q", s.name, got, s.wantINM)
			}
		}
	}
	st := store.get(1)
	if st.Title != "Test News" || st.ETag != `"v1"` || st.Items != 2 {
		t.Errorf("final state = %+v", st)
	}
	if len(sink.arts) != 2 {
		t.Fatalf("sink got %d articles, want 2", len(sink.arts))
	}
	a := sink.arts[0]
	if a.Source != "Test News" || a.FeedID != 1 || a.Title != "Long story" || a.URL != ts.URL+"/long" || !a.Fetched.Equal(start) {
		t.Errorf("article = %+v", a)
	}
}

func TestPollerBackoffCap(t *testing.T) {
	p := &Poller{}
	tests := []struct {
		errors int
		want   time.Duration
	}{
		{1, 5 * time.Minute},
		{2, 10 * time.Minute},
		{5, 80 * time.Minute},
		{9, 1280 * time.Minute},
		{10, 24 * time.Hour},
		{1000, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := p.backoff(tt.errors); got != tt.want {
			t.Errorf("backoff(%d) = %v, want %v", tt.errors, got, tt.want)
		}
	}
}

func TestPollerExtractsShortItems(t *testing.T) {
	long := strings.Repeat("Plenty of words in the summary. ", 30)
	var ts *httptest.Server
	var pageHits sync.Map
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, rssFeed, ts.URL, long)
		case "/short":
			pageHits.Store(r.URL.Path, true)
			fmt.Fprint(w, "<html><body><article><p>The whole short story, at length.</p></article></body></html>")
		default:
			pageHits.Store(r.URL.Path, true)
			http.NotFound(w, r)
		}
	}))
	defer ts.Close()

	var mu sync.Mutex
	var extracted []string
	extract := func(_ context.Context, url string, body []byte) (string, string, string, string, time.Time, error) {
		mu.Lock()
		extracted = append(extracted, url)
		mu.Unlock()
		if !strings.Contains(string(body), "whole short story") {
			return "", "", "", "", time.Time{}, errors.New("unexpected page")
		}
		return "Page title", "By Ann", "The whole short story, at length, as extracted from the page.", "en", time.Time{}, nil
	}
	store := newMemStore(FeedState{ID: 7, URL: ts.URL + "/feed", Title: "My name for it"})
	sink := &collector{}
	p := &Poller{
		Client:  fetch.New(fetch.Options{AllowPrivate: true}),
		Store:   store,
		Sink:    sink.sink,
		Extract: extract,
	}
	rep, err := p.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles != 2 || rep.Failed != 0 {
		t.Fatalf("report = %+v", rep)
	}
	if diff := cmp.Diff([]string{ts.URL + "/short"}, extracted); diff != "" {
		t.Errorf("extracted pages (-want +got):\n%s", diff)
	}
	if _, hit := pageHits.Load("/long"); hit {
		t.Error("long item's page was fetched")
	}
	byURL := make(map[string]article.Article)
	for _, a := range sink.arts {
		byURL[a.URL] = a
	}
	short := byURL[ts.URL+"/short"]
	want := article.Article{
		URL: ts.URL + "/short", Title: "Short story", Byline: "By Ann", Lang: "en",
		Published: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Text:      "The whole short story, at length, as extracted from the page.",
		Source:    "My name for it", FeedID: 7,
	}
	if diff := cmp.Diff(want, short, cmpIgnoreFetched); diff != "" {
		t.Errorf("short article (-want +got):\n%s", diff)
	}
	if got := byURL[ts.URL+"/long"].Text; got != strings.TrimSpace(long) {
		t.Errorf("long article text = %.60q…", got)
	}
}

var cmpIgnoreFetched = cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Fetched" }, cmp.Ignore())

func TestPollerSinkFailureKeepsValidators(t *testing.T) {
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"new"`)
		fmt.Fprintf(w, rssFeed, ts.URL, "x")
	}))
	defer ts.Close()
	store := newMemStore(FeedState{ID: 1, URL: ts.URL, ETag: `"old"`})
	sink := &collector{fail: errors.New("disk full")}
	p := &Poller{Client: fetch.New(fetch.Options{AllowPrivate: true}), Store: store, Sink: sink.sink}
	rep, err := p.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	st := store.get(1)
	if rep.Failed != 1 || st.ETag != `"old"` || st.ErrorCount != 1 || !strings.Contains(st.LastError, "disk full") {
		t.Errorf("report %+v, state %+v", rep, st)
	}
}

func TestPollerManyFeedsConcurrently(t *testing.T) {
	var inFlight, peak atomic.Int32
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		if strings.HasSuffix(r.URL.Path, "/bad") {
			fmt.Fprint(w, "<html>not a feed</html>")
			return
		}
		fmt.Fprintf(w, rssFeed, ts.URL, "x")
	}))
	defer ts.Close()
	var feeds []FeedState
	for i := range 12 {
		u := fmt.Sprintf("%s/f%d", ts.URL, i)
		if i%4 == 0 {
			u += "/bad"
		}
		feeds = append(feeds, FeedState{ID: int64(i + 1), URL: u})
	}
	store := newMemStore(feeds...)
	sink := &collector{}
	p := &Poller{Client: fetch.New(fetch.Options{AllowPrivate: true, MaxConcurrent: 3}), Store: store, Sink: sink.sink}
	rep, err := p.PollOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Polled != 12 || rep.Failed != 3 || rep.Articles != 18 || len(rep.Errors) != 3 {
		t.Errorf("report = %+v", rep)
	}
	for _, e := range rep.Errors {
		if !strings.Contains(e.Err, "not an RSS") {
			t.Errorf("error %+v", e)
		}
	}
	if peak.Load() > 3 {
		t.Errorf("peak concurrency %d, want ≤ 3", peak.Load())
	}
}
