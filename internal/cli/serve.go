package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/alerts"
	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/serve"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/web"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs, l := m.flags("serve", "", "addr", "token", "cors_origins", "default_place", "allow_private", "nearby_km", "llm_url", "llm_model", "llm_key")
	noPoll := fs.Bool("no-poll", false, "do not poll the subscribed feeds on their schedule (fetching one on request still works)")
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
	// One poller runs the scheduled polls and the fetches on request, so the
	// two never fetch one feed at once and share the per-host rate limit.
	poller := newServePoller(cfg, db, p, log)
	srv, err := m.buildServer(ctx, cfg, db, p, log, poller)
	if err != nil {
		return err
	}
	if !*noPoll {
		// poll the subscribed feeds in the background (none: nothing to do)
		go pollLoop(ctx, poller, log)
	}
	return srv.Run(ctx, cfg.Addr, nil)
}

// newServePoller is the feed poller of `vantage serve`: newPoller's, with a
// sink that reports what the pipeline did with each feed's articles (for
// FetchNow) and a lookup of one feed by ID.
func newServePoller(cfg config.Config, db store.Store, p *pipeline.Pipeline, log *slog.Logger) *feeds.Poller {
	poller, _ := newPoller(cfg, db, p, log)
	poller.Ingest = p.FeedIngest()
	poller.Lookup = store.FeedLookup(db)
	return poller
}

// pollLoop polls the due feeds every minute until ctx ends.
func pollLoop(ctx context.Context, poller *feeds.Poller, log *slog.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		rep, err := poller.PollOnce(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("poll failed", "err", err)
		} else if rep.Polled > 0 {
			log.Info("polled feeds", "feeds", rep.Polled, "failed", rep.Failed, "articles", rep.Articles)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// buildServer builds the HTTP server over db and p: the briefing index
// loaded from the store and kept current by the pipeline, metrics hooked in,
// and poller (if not nil) serving the "fetch now" of the API and the sources
// page.
func (m *Main) buildServer(ctx context.Context, cfg config.Config, db store.Store, p *pipeline.Pipeline, log *slog.Logger, poller *feeds.Poller) (*serve.Server, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	en := lensEngine(g, cfg)
	en.Stories = db
	start := time.Now()
	n, err := en.Index.Load(ctx, db, time.Time{})
	if err != nil {
		return nil, err
	}
	log.Info("briefing index loaded", "stories", n, "elapsed", time.Since(start).Round(time.Millisecond))
	srv := &serve.Server{Store: db, Pipeline: p, Token: cfg.Token, Logger: log, Version: m.version(), Lens: en}
	for _, o := range strings.Split(cfg.CORSOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			srv.CORSOrigins = append(srv.CORSOrigins, o)
		}
	}
	notifier := &alerts.Notifier{Store: db, Lens: en, Logger: log, AllowPrivate: cfg.AllowPrivate, Retention: cfg.AlertRetention}
	site := &web.Site{Store: db, Lens: en, Token: cfg.Token, Logger: log, Alerts: notifier}
	site.DefaultPlace = cfg.DefaultPlace
	if poller != nil {
		srv.Fetcher, site.Fetcher = poller, poller
	}
	srv.Extra = append(srv.Extra, func(mux *http.ServeMux, _ func(http.HandlerFunc) http.HandlerFunc) { site.Register(mux) })
	srv.ServesRoot()
	go notifier.Run(ctx)
	srv.Extra = append(srv.Extra, notifier.Routes)
	p.OnStories = func(ctx context.Context, sts []article.Story) {
		en.Index.Upsert(sts...)
		notifier.Stories(ctx, sts)
	}
	p.Observe = srv.ObserveAnalysis
	p.Done = srv.ObserveIngest
	return srv, nil
}
