package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/fetch"
)

// FeedState is what the poller knows and remembers about one subscribed feed.
type FeedState struct {
	ID           int64
	URL, Title   string
	ETag         string
	LastModified string
	LastFetch    time.Time
	NextFetch    time.Time
	ErrorCount   int // consecutive failures; 0 after a success
	LastError    string
	Items        int // items in the feed at the last successful fetch
}

// StateStore is the storage the poller needs.
type StateStore interface {
	// DueFeeds returns the feeds whose NextFetch is at or before now.
	DueFeeds(ctx context.Context, now time.Time) ([]FeedState, error)
	// UpdateFeedState saves st, matched by st.ID.
	UpdateFeedState(ctx context.Context, st FeedState) error
}

// Sink receives the articles of one fetched feed. An error leaves the feed's
// validators unchanged, so the next poll fetches the same items again.
type Sink func(ctx context.Context, feed FeedState, arts []article.Article) error

// CountingSink is a Sink that also says what became of the articles, so that
// FetchNow can report it.
type CountingSink func(ctx context.Context, feed FeedState, arts []article.Article) (Outcome, error)

// Outcome is what a CountingSink did with the articles of one feed.
type Outcome struct {
	New        int            // stored as new articles
	Duplicates int            // already stored (same canonical URL or content)
	Rejected   int            // refused, e.g. empty or malformed
	Reasons    map[string]int // rejections by reason
}

// PageExtractor turns an item's web page into article text and metadata.
type PageExtractor func(ctx context.Context, url string, body []byte) (title, byline, text, lang string, published time.Time, err error)

// ItemFilter returns the items of a feed not yet stored, so only those are
// extracted and passed to the Sink.
type ItemFilter func(ctx context.Context, feed FeedState, items []Item) ([]Item, error)

// Poller defaults.
const (
	DefaultInterval   = 15 * time.Minute
	DefaultBackoff    = 5 * time.Minute
	DefaultMaxBackoff = 24 * time.Hour
	// ShortSummary is the text length (in characters) below which an item
	// with a link has its page fetched and extracted.
	ShortSummary = 500

	// DefaultFetchNowGap is the default of Poller.FetchNowGap.
	DefaultFetchNowGap = 10 * time.Second

	maxRetryAfter = 7 * 24 * time.Hour
)

// Poller fetches due feeds and hands their items to a Sink. Client, Store and
// Sink (or Ingest) are required; other zero fields take defaults. A Poller
// must not be copied after first use.
//
// Polls of one feed never overlap: PollOnce and FetchNow take a per-feed
// lock, and a scheduled poll skips a feed that FetchNow is fetching or has
// fetched since the round listed it as due. Serialisation is within one
// Poller: every fetch of a process should go through the same one (which
// also shares its Client's per-host rate limit).
type Poller struct {
	Client *fetch.Client
	Store  StateStore
	Sink   Sink
	// Ingest, when set, is used instead of Sink; its Outcome goes into the
	// FetchResult of FetchNow (with a plain Sink every article it accepted
	// counts as new).
	Ingest CountingSink
	// Lookup finds one subscribed feed for FetchNow; for an absent feed it
	// returns an error wrapping ErrUnknownFeed. FetchNow fails without it.
	Lookup func(ctx context.Context, id int64) (FeedState, error)
	// FetchNowGap is how soon after any fetch of a feed FetchNow may fetch
	// it again (default DefaultFetchNowGap; negative: no gap).
	FetchNowGap time.Duration

	Extract PageExtractor // nil: never fetch item pages
	Filter  ItemFilter    // nil: every item is passed on

	Interval   time.Duration // between successful fetches of a feed
	Backoff    time.Duration // first retry delay after a failure, doubled per consecutive failure
	MaxBackoff time.Duration

	Now    func() time.Time
	Logger *slog.Logger

	slotsMu sync.Mutex
	slots   map[int64]*feedSlot
}

// feedSlot serialises the polls of one feed and remembers the last one.
type feedSlot struct {
	busy sync.Mutex // held while the feed is polled and its state saved
	// Guarded by busy:
	polled     bool      // this poller has polled the feed
	next       time.Time // the NextFetch its last poll chose
	retryUntil time.Time // the feed's server asked not to be contacted before this (Retry-After)
}

func (p *Poller) slot(id int64) *feedSlot {
	p.slotsMu.Lock()
	defer p.slotsMu.Unlock()
	if p.slots == nil {
		p.slots = make(map[int64]*feedSlot)
	}
	sl := p.slots[id]
	if sl == nil {
		sl = &feedSlot{}
		p.slots[id] = sl
	}
	return sl
}

// Report summarises one PollOnce.
type Report struct {
	Polled      int // feeds fetched (successfully or not)
	NotModified int // feeds answering 304
	Failed      int
	Items       int // items in the fetched feeds
	Articles    int // articles accepted by the Sink
	// Skipped counts due feeds left alone because they were being polled
	// already (by FetchNow or another round), or had been fetched since this
	// round listed them.
	Skipped int
	Errors  []FeedError
}

// FeedError is why one feed failed.
type FeedError struct {
	FeedID int64
	URL    string
	Err    string
}

// PollOnce fetches every due feed concurrently (bounded by the fetch client's
// concurrency limit), records each feed's new state, and passes new articles
// to the Sink. Per-feed failures go into the Report; the error reports a
// failure to list due feeds or to save feed state.
func (p *Poller) PollOnce(ctx context.Context) (Report, error) {
	now := p.now()
	due, err := p.Store.DueFeeds(ctx, now)
	if err != nil {
		return Report{}, fmt.Errorf("poll: listing due feeds: %w", err)
	}
	var (
		mu      sync.Mutex
		rep     Report
		saveErr []error
		wg      sync.WaitGroup
	)
	workers := make(chan struct{}, max(1, p.Client.MaxConcurrent()))
	for _, st := range due {
		select {
		case workers <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return rep, ctx.Err()
		}
		wg.Go(func() {
			defer func() { <-workers }()
			sl := p.slot(st.ID)
			if !sl.busy.TryLock() {
				mu.Lock()
				rep.Skipped++
				mu.Unlock()
				return
			}
			defer sl.busy.Unlock()
			if sl.polled && sl.next.After(now) {
				// fetched (by FetchNow) since DueFeeds listed it: no longer due
				mu.Lock()
				rep.Skipped++
				mu.Unlock()
				return
			}
			res := p.pollFeed(ctx, st)
			err := p.Store.UpdateFeedState(ctx, res.state)
			if err == nil {
				sl.record(res)
			}
			mu.Lock()
			defer mu.Unlock()
			rep.Polled++
			rep.Items += res.items
			rep.Articles += res.articles
			if res.notModified {
				rep.NotModified++
			}
			if res.err != nil {
				rep.Failed++
				rep.Errors = append(rep.Errors, FeedError{FeedID: st.ID, URL: st.URL, Err: res.err.Error()})
			}
			if err != nil {
				saveErr = append(saveErr, fmt.Errorf("saving state of feed %d (%s): %w", st.ID, st.URL, err))
			}
		})
	}
	wg.Wait()
	sort.Slice(rep.Errors, func(i, j int) bool { return rep.Errors[i].URL < rep.Errors[j].URL })
	p.logger().Info("poll done", "due", len(due), "polled", rep.Polled, "not_modified", rep.NotModified,
		"failed", rep.Failed, "skipped", rep.Skipped, "items", rep.Items, "articles", rep.Articles)
	return rep, errors.Join(saveErr...)
}

type pollResult struct {
	state       FeedState
	notModified bool
	status      int // HTTP status of the feed's answer; 0 when there was none
	items       int
	articles    int     // handed to the sink
	known       int     // items the Filter dropped as already stored
	outcome     Outcome // what the sink did with the articles
	retryUntil  time.Time
	err         error
}

// record remembers a poll whose state was saved. The caller holds sl.busy.
func (sl *feedSlot) record(res pollResult) {
	sl.polled = true
	sl.next = res.state.NextFetch
	sl.retryUntil = res.retryUntil
}

func (p *Poller) pollFeed(ctx context.Context, st FeedState) pollResult {
	log := p.logger().With("feed", st.ID, "url", st.URL)
	start := p.now()
	st.LastFetch = start

	resp, err := p.Client.Get(ctx, st.URL, fetch.Conditional{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return p.failed(st, start, err, log)
	}
	if resp.NotModified {
		st.ETag, st.LastModified = resp.ETag, resp.LastModified
		p.succeeded(&st, start)
		log.Debug("feed not modified")
		return pollResult{state: st, notModified: true, status: resp.Status}
	}
	feed, err := Parse(resp.Body, resp.FinalURL)
	if err != nil {
		return p.failedWith(st, start, err, log, resp.Status)
	}
	if st.Title == "" {
		st.Title = feed.Title
	}
	items := feed.Items
	if p.Filter != nil {
		if items, err = p.Filter(ctx, st, items); err != nil {
			return p.failedWith(st, start, fmt.Errorf("filtering items: %w", err), log, resp.Status)
		}
	}
	source := st.Title
	if source == "" {
		source = feed.Title
	}
	arts := make([]article.Article, 0, len(items))
	for _, it := range items {
		a := it.Article(source)
		a.FeedID = st.ID
		a.Fetched = start
		p.enrich(ctx, &a, log)
		arts = append(arts, a)
	}
	var out Outcome
	if len(arts) > 0 {
		if out, err = p.sink(ctx, st, arts); err != nil {
			// Keep the old validators so the items are fetched again.
			return p.failedWith(st, start, fmt.Errorf("storing articles: %w", err), log, resp.Status)
		}
	}
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	st.Items = len(feed.Items)
	p.succeeded(&st, start)
	log.Debug("feed fetched", "items", len(feed.Items), "articles", len(arts))
	return pollResult{state: st, status: resp.Status, items: len(feed.Items), articles: len(arts),
		known: len(feed.Items) - len(items), outcome: out}
}

// sink hands arts to Ingest, or else to Sink.
func (p *Poller) sink(ctx context.Context, st FeedState, arts []article.Article) (Outcome, error) {
	if p.Ingest != nil {
		return p.Ingest(ctx, st, arts)
	}
	if err := p.Sink(ctx, st, arts); err != nil {
		return Outcome{}, err
	}
	return Outcome{New: len(arts)}, nil
}

// enrich replaces a short summary with the extracted text of the item's page.
// Failures are logged and leave the article as the feed gave it.
func (p *Poller) enrich(ctx context.Context, a *article.Article, log *slog.Logger) {
	if p.Extract == nil || a.URL == "" || utf8.RuneCountInString(a.Text) >= ShortSummary {
		return
	}
	page, err := p.Client.Get(ctx, a.URL, fetch.Conditional{})
	if err != nil {
		log.Info("item page fetch failed", "item", a.URL, "err", err)
		return
	}
	title, byline, text, lang, published, err := p.Extract(ctx, page.FinalURL, page.Body)
	if err != nil {
		log.Info("item page extraction failed", "item", a.URL, "err", err)
		return
	}
	if utf8.RuneCountInString(text) > utf8.RuneCountInString(a.Text) {
		a.Text = text
	}
	if a.Title == "" {
		a.Title = title
	}
	if a.Byline == "" {
		a.Byline = byline
	}
	if a.Lang == "" {
		a.Lang = lang
	}
	if a.Published.IsZero() {
		a.Published = published
	}
}

func (p *Poller) succeeded(st *FeedState, now time.Time) {
	st.ErrorCount = 0
	st.LastError = ""
	st.NextFetch = now.Add(p.interval())
}

func (p *Poller) failed(st FeedState, now time.Time, err error, log *slog.Logger) pollResult {
	return p.failedWith(st, now, err, log, 0)
}

// failedWith is failed for a feed that answered with status (0: the status,
// if any, is read from err).
func (p *Poller) failedWith(st FeedState, now time.Time, err error, log *slog.Logger, status int) pollResult {
	st.ErrorCount++
	st.LastError = err.Error()
	st.NextFetch = now.Add(p.backoff(st.ErrorCount))
	res := pollResult{status: status, err: err}
	var (
		ra *fetch.RetryAfterError
		se *fetch.StatusError
	)
	switch {
	case errors.As(err, &ra):
		res.status = ra.Status
		// Honour the server's date, within reason.
		res.retryUntil = ra.Until
		if limit := now.Add(maxRetryAfter); res.retryUntil.After(limit) {
			res.retryUntil = limit
		}
		if ra.Until.After(st.NextFetch) {
			st.NextFetch = res.retryUntil
		}
	case errors.As(err, &se):
		res.status = se.Status
	}
	log.Warn("feed failed", "errors", st.ErrorCount, "next", st.NextFetch, "err", err)
	res.state = st
	return res
}

// backoff is Backoff·2^(errors-1), capped at MaxBackoff.
func (p *Poller) backoff(errors int) time.Duration {
	base, ceiling := p.Backoff, p.MaxBackoff
	if base <= 0 {
		base = DefaultBackoff
	}
	if ceiling <= 0 {
		ceiling = DefaultMaxBackoff
	}
	d := base
	for i := 1; i < errors && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

func (p *Poller) interval() time.Duration {
	if p.Interval > 0 {
		return p.Interval
	}
	return DefaultInterval
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Poller) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}
