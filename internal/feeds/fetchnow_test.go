package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/fetch"
)

func (s *memStore) lookup(_ context.Context, id int64) (FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.feeds[id]
	if !ok {
		return FeedState{}, fmt.Errorf("feed %d: %w", id, ErrUnknownFeed)
	}
	return f, nil
}

// feedServer serves testdata/fetchnow.rss at /feed with an ETag, counting
// the requests that got the feed (not 304s) and the most in flight at once.
// While hold is non-nil each request waits until it is closed; entered gets
// a value when a request arrives.
type feedServer struct {
	*httptest.Server
	hits, inFlight, peak atomic.Int32
	hold                 chan struct{}
	entered              chan struct{}
	status               atomic.Int32 // answer this status instead (0: the feed)
}

func newFeedServer(t *testing.T) *feedServer {
	t.Helper()
	body, err := os.ReadFile("testdata/fetchnow.rss")
	if err != nil {
		t.Fatal(err)
	}
	fs := &feedServer{entered: make(chan struct{}, 16)}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed" {
			http.NotFound(w, r)
			return
		}
		n := fs.inFlight.Add(1)
		defer fs.inFlight.Add(-1)
		for {
			p := fs.peak.Load()
			if n <= p || fs.peak.CompareAndSwap(p, n) {
				break
			}
		}
		fs.entered <- struct{}{}
		if fs.hold != nil {
			<-fs.hold
		}
		if st := fs.status.Load(); st != 0 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(int(st))
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fs.hits.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(body)
	}))
	t.Cleanup(fs.Close)
	return fs
}

// countingSink stores articles by URL and reports new and duplicate ones.
type countingSink struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *countingSink) ingest(_ context.Context, _ FeedState, arts []article.Article) (Outcome, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	var o Outcome
	for _, a := range arts {
		if c.seen[a.URL] {
			o.Duplicates++
			continue
		}
		c.seen[a.URL] = true
		o.New++
	}
	return o, nil
}

func TestFetchNow(t *testing.T) {
	srv := newFeedServer(t)
	start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clk := &clock{t: start}
	store := newMemStore(FeedState{ID: 1, URL: srv.URL + "/feed", NextFetch: start.Add(10 * time.Minute)})
	sink := &countingSink{}
	p := &Poller{
		Client: fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second, Now: clk.Now}),
		Store:  store, Ingest: sink.ingest, Lookup: store.lookup, Now: clk.Now,
	}
	ctx := t.Context()

	res, err := p.FetchNow(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || res.Items != 3 || res.New != 3 || res.Duplicates != 0 || res.Error != "" || res.Title != "Fetch Now Test Wire" {
		t.Errorf("first fetch: %+v", res)
	}
	st := store.get(1)
	if !st.NextFetch.Equal(start.Add(DefaultInterval)) || !res.NextFetch.Equal(st.NextFetch) || st.ETag != `"v1"` || !st.LastFetch.Equal(start) {
		t.Errorf("state after fetch: %+v", st)
	}

	// Too soon: refused without a request.
	clk.set(start.Add(3 * time.Second))
	_, err = p.FetchNow(ctx, 1)
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Until.Equal(start.Add(DefaultFetchNowGap)) {
		t.Errorf("fetch 3 s later: %v", err)
	}
	// After the gap: a conditional GET, answered 304.
	clk.set(start.Add(time.Minute))
	res, err = p.FetchNow(ctx, 1)
	if err != nil || !res.NotModified || res.Status != 304 || res.New != 0 {
		t.Errorf("fetch after a minute: %+v, %v", res, err)
	}
	if got := store.get(1).NextFetch; !got.Equal(start.Add(time.Minute + DefaultInterval)) {
		t.Errorf("next fetch not rescheduled from the manual fetch: %v", got)
	}
	if srv.hits.Load() != 1 {
		t.Errorf("%d full fetches, want 1", srv.hits.Load())
	}

	// A filter that knows the stored items: they count as duplicates.
	p.Filter = func(_ context.Context, _ FeedState, items []Item) ([]Item, error) { return items[2:], nil }
	st = store.get(1)
	st.ETag = ""
	store.UpdateFeedState(ctx, st)
	clk.set(start.Add(2 * time.Minute))
	res, err = p.FetchNow(ctx, 1)
	if err != nil || res.Items != 3 || res.New != 0 || res.Duplicates != 3 {
		t.Errorf("refetch with a filter: %+v, %v", res, err)
	}

	// A server asking to wait: the failure is the result; FetchNow then
	// refuses until the Retry-After has passed, even after the gap.
	srv.status.Store(http.StatusTooManyRequests)
	clk.set(start.Add(3 * time.Minute))
	res, err = p.FetchNow(ctx, 1)
	if err != nil || res.Status != 429 || res.Error == "" || res.ErrorCount != 1 || !res.NextFetch.Equal(start.Add(time.Hour+3*time.Minute)) {
		t.Errorf("429: %+v, %v", res, err)
	}
	clk.set(start.Add(10 * time.Minute))
	if _, err = p.FetchNow(ctx, 1); !errors.As(err, &rl) || !strings.Contains(err.Error(), "Retry-After") {
		t.Errorf("fetch during Retry-After: %v", err)
	}

	if _, err := p.FetchNow(ctx, 99); !errors.Is(err, ErrUnknownFeed) {
		t.Errorf("unknown feed: %v", err)
	}
}

// TestFetchNowAndScheduledPollDoNotOverlap runs FetchNow and PollOnce against
// the same feed in every order: one fetch reaches the server, never two.
func TestFetchNowAndScheduledPollDoNotOverlap(t *testing.T) {
	setup := func(t *testing.T) (*feedServer, *memStore, *Poller) {
		srv := newFeedServer(t)
		srv.hold = make(chan struct{})
		now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		store := newMemStore(FeedState{ID: 1, URL: srv.URL + "/feed"})
		sink := &countingSink{}
		p := &Poller{
			Client: fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second}),
			Store:  store, Ingest: sink.ingest, Lookup: store.lookup,
			Now: func() time.Time { return now },
		}
		return srv, store, p
	}
	wait := func(t *testing.T, srv *feedServer) {
		select {
		case <-srv.entered:
		case <-time.After(5 * time.Second):
			t.Fatal("no request reached the feed server")
		}
	}

	t.Run("fetch now during a scheduled poll", func(t *testing.T) {
		srv, _, p := setup(t)
		done := make(chan Report)
		go func() {
			rep, _ := p.PollOnce(context.Background())
			done <- rep
		}()
		wait(t, srv)
		if _, err := p.FetchNow(t.Context(), 1); !errors.Is(err, ErrFetchBusy) {
			t.Errorf("FetchNow during a poll: %v, want ErrFetchBusy", err)
		}
		close(srv.hold)
		if rep := <-done; rep.Polled != 1 || rep.Articles != 3 {
			t.Errorf("poll: %+v", rep)
		}
		if srv.hits.Load() != 1 || srv.peak.Load() != 1 {
			t.Errorf("%d fetches, %d at once", srv.hits.Load(), srv.peak.Load())
		}
	})

	t.Run("scheduled poll during fetch now", func(t *testing.T) {
		srv, _, p := setup(t)
		done := make(chan error)
		go func() {
			res, err := p.FetchNow(context.Background(), 1)
			if err == nil && res.New != 3 {
				err = fmt.Errorf("result %+v", res)
			}
			done <- err
		}()
		wait(t, srv)
		rep, err := p.PollOnce(t.Context())
		if err != nil || rep.Polled != 0 || rep.Skipped != 1 {
			t.Errorf("poll during FetchNow: %+v, %v", rep, err)
		}
		close(srv.hold)
		if err := <-done; err != nil {
			t.Error(err)
		}
		if srv.hits.Load() != 1 || srv.peak.Load() != 1 {
			t.Errorf("%d fetches, %d at once", srv.hits.Load(), srv.peak.Load())
		}
	})

	t.Run("fetch now between listing and polling", func(t *testing.T) {
		// The scheduled round lists the feed as due, then FetchNow fetches
		// it before the round's worker gets to it: the worker must not
		// fetch it again from the stale listing.
		srv, store, p := setup(t)
		close(srv.hold)
		srv.hold = nil
		listing := &hookStore{memStore: store, after: func() {
			if _, err := p.FetchNow(context.Background(), 1); err != nil {
				t.Errorf("FetchNow: %v", err)
			}
		}}
		p.Store = listing
		rep, err := p.PollOnce(t.Context())
		if err != nil || rep.Polled != 0 || rep.Skipped != 1 {
			t.Errorf("poll after FetchNow: %+v, %v", rep, err)
		}
		if srv.hits.Load() != 1 {
			t.Errorf("%d fetches, want 1", srv.hits.Load())
		}
	})

	t.Run("many at once", func(t *testing.T) {
		srv, _, p := setup(t)
		close(srv.hold)
		srv.hold = nil
		var wg sync.WaitGroup
		var fetched, polled atomic.Int32
		for range 8 {
			wg.Go(func() {
				if _, err := p.FetchNow(context.Background(), 1); err == nil {
					fetched.Add(1)
				}
			})
		}
		for range 3 {
			wg.Go(func() {
				rep, _ := p.PollOnce(context.Background())
				polled.Add(int32(rep.Polled))
			})
		}
		wg.Wait()
		if got := fetched.Load() + polled.Load(); got != 1 || srv.hits.Load() != 1 || srv.peak.Load() != 1 {
			t.Errorf("%d successful polls, %d fetches, %d at once; want exactly one", got, srv.hits.Load(), srv.peak.Load())
		}
	})
}

// hookStore runs after once, after DueFeeds has listed the feeds.
type hookStore struct {
	*memStore
	after func()
	once  sync.Once
}

func (h *hookStore) DueFeeds(ctx context.Context, now time.Time) ([]FeedState, error) {
	due, err := h.memStore.DueFeeds(ctx, now)
	h.once.Do(h.after)
	return due, err
}

func TestFetchNowCancelledLeavesState(t *testing.T) {
	srv := newFeedServer(t)
	srv.hold = make(chan struct{})
	defer close(srv.hold)
	store := newMemStore(FeedState{ID: 1, URL: srv.URL + "/feed"})
	p := &Poller{Client: fetch.New(fetch.Options{AllowPrivate: true}), Store: store,
		Sink: func(context.Context, FeedState, []article.Article) error { return nil }, Lookup: store.lookup}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-srv.entered
		cancel()
	}()
	if _, err := p.FetchNow(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled FetchNow: %v", err)
	}
	if st := store.get(1); st.ErrorCount != 0 || !st.LastFetch.IsZero() {
		t.Errorf("a cancelled fetch changed the state: %+v", st)
	}
}

func TestRateLimitErrorRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		until time.Duration
		want  int
	}{
		{10 * time.Second, 10},
		{9*time.Second + time.Millisecond, 10}, // rounded up: asking at 9 s would be refused again
		{time.Millisecond, 1},
		{0, 1},                // never "0": that reads as "at once"
		{-5 * time.Second, 1}, // already past
		{time.Hour, 3600},
	} {
		e := &RateLimitError{FeedID: 1, Until: now.Add(tt.until)}
		if got := e.RetryAfter(now); got != tt.want {
			t.Errorf("RetryAfter with %v left = %d, want %d", tt.until, got, tt.want)
		}
	}
}
