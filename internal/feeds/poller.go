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

	maxRetryAfter = 7 * 24 * time.Hour
)

// Poller fetches due feeds and hands their items to a Sink. Client, Store and
// Sink are required; other zero fields take defaults.
type Poller struct {
	Client *fetch.Client
	Store  StateStore
	Sink   Sink

	Extract PageExtractor // nil: never fetch item pages
	Filter  ItemFilter    // nil: every item is passed on

	Interval   time.Duration // between successful fetches of a feed
	Backoff    time.Duration // first retry delay after a failure, doubled per consecutive failure
	MaxBackoff time.Duration

	Now    func() time.Time
	Logger *slog.Logger
}

// Report summarises one PollOnce.
type Report struct {
	Polled      int // feeds fetched (successfully or not)
	NotModified int // feeds answering 304
	Failed      int
	Items       int // items in the fetched feeds
	Articles    int // articles accepted by the Sink
	Errors      []FeedError
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
			res := p.pollFeed(ctx, st)
			err := p.Store.UpdateFeedState(ctx, res.state)
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
		"failed", rep.Failed, "items", rep.Items, "articles", rep.Articles)
	return rep, errors.Join(saveErr...)
}

type pollResult struct {
	state       FeedState
	notModified bool
	items       int
	articles    int
	err         error
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
		return pollResult{state: st, notModified: true}
	}
	feed, err := Parse(resp.Body, resp.FinalURL)
	if err != nil {
		return p.failed(st, start, err, log)
	}
	if st.Title == "" {
		st.Title = feed.Title
	}
	items := feed.Items
	if p.Filter != nil {
		if items, err = p.Filter(ctx, st, items); err != nil {
			return p.failed(st, start, fmt.Errorf("filtering items: %w", err), log)
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
	if len(arts) > 0 {
		if err := p.Sink(ctx, st, arts); err != nil {
			// Keep the old validators so the items are fetched again.
			return p.failed(st, start, fmt.Errorf("storing articles: %w", err), log)
		}
	}
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	st.Items = len(feed.Items)
	p.succeeded(&st, start)
	log.Debug("feed fetched", "items", len(feed.Items), "articles", len(arts))
	return pollResult{state: st, items: len(feed.Items), articles: len(arts)}
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
	st.ErrorCount++
	st.LastError = err.Error()
	st.NextFetch = now.Add(p.backoff(st.ErrorCount))
	var ra *fetch.RetryAfterError
	if errors.As(err, &ra) && ra.Until.After(st.NextFetch) {
		// Honour the server's date, within reason.
		st.NextFetch = ra.Until
		if limit := now.Add(maxRetryAfter); st.NextFetch.After(limit) {
			st.NextFetch = limit
		}
	}
	log.Warn("feed failed", "errors", st.ErrorCount, "next", st.NextFetch, "err", err)
	return pollResult{state: st, err: err}
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
