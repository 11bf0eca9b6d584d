package cli

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
)

func (m *Main) runFetch(ctx context.Context, args []string) error {
	fs, l := m.flags("fetch", "", "allow_private", "fetch_timeout", "max_body_bytes", "fetch_concurrency", "per_host_interval", "poll_interval", "user_agent")
	cfg, err := m.parseNoArgs(fs, l, args)
	if err != nil {
		return err
	}
	log := m.logger(cfg)
	db, p, err := openPipeline(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	poller, total := newPoller(cfg, db, p, log)
	rep, err := poller.PollOnce(ctx)
	fmt.Fprintf(m.Stdout, "polled %d feeds: %d not modified, %d failed, %d items; articles %s\n",
		rep.Polled, rep.NotModified, rep.Failed, rep.Items, total())
	for _, e := range rep.Errors {
		fmt.Fprintf(m.Stdout, "  feed %d %s: %s\n", e.FeedID, e.URL, e.Err)
	}
	return err
}

// newPoller wires a feed poller to the pipeline; total reports what the
// pipeline did with the articles of all polled feeds so far.
func newPoller(cfg config.Config, db store.Store, p *pipeline.Pipeline, log *slog.Logger) (*feeds.Poller, func() pipeline.Summary) {
	var (
		mu  sync.Mutex
		sum = pipeline.Summary{Reasons: map[string]int{}}
	)
	sink := func(ctx context.Context, feed feeds.FeedState, arts []article.Article) error {
		s, err := p.RunFeed(ctx, feed.ID, feed.URL, arts)
		mu.Lock()
		defer mu.Unlock()
		sum.Read += s.Read
		sum.New += s.New
		sum.Duplicate += s.Duplicate
		sum.Rejected += s.Rejected
		for k, v := range s.Reasons {
			sum.Reasons[k] += v
		}
		return err
	}
	filter := func(ctx context.Context, feed feeds.FeedState, items []feeds.Item) ([]feeds.Item, error) {
		urls := make([]string, 0, len(items))
		canon := make([]string, len(items))
		for i, it := range items {
			if c, err := normalize.CanonicalURL(it.URL); err == nil {
				canon[i] = c
				urls = append(urls, c)
			}
		}
		known, err := db.KnownURLs(ctx, urls)
		if err != nil {
			return nil, err
		}
		var fresh []feeds.Item
		for i, it := range items {
			if canon[i] == "" || !known[canon[i]] {
				fresh = append(fresh, it)
			}
		}
		return fresh, nil
	}
	poller := &feeds.Poller{
		Client:   fetchClient(cfg),
		Store:    db,
		Sink:     sink,
		Extract:  extractPage,
		Filter:   filter,
		Interval: cfg.PollInterval,
		Logger:   log,
	}
	return poller, func() pipeline.Summary {
		mu.Lock()
		defer mu.Unlock()
		return sum
	}
}

// extractPage adapts extract.Extract to the poller.
func extractPage(ctx context.Context, pageURL string, body []byte) (title, byline, text, lang string, published time.Time, err error) {
	u, _ := url.Parse(pageURL)
	res, err := extract.Extract(bytes.NewReader(body), u, int64(len(body))+1)
	if err != nil {
		return "", "", "", "", time.Time{}, err
	}
	return res.Title, res.Byline, res.Text, res.Lang, res.Published, nil
}
