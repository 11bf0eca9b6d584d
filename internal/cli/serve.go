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
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/serve"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/web"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs, l := m.flags("serve", "", "addr", "token", "cors_origins", "default_place", "allow_private", "nearby_km", "llm_url", "llm_model", "llm_key")
	noPoll := fs.Bool("no-poll", false, "do not poll the subscribed feeds")
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
	srv, err := m.newServer(ctx, cfg, db, p, log)
	if err != nil {
		return err
	}
	if !*noPoll {
		// poll the subscribed feeds in the background (none: nothing to do)
		if err := m.startLive(ctx, cfg, db, p, false, ""); err != nil {
			return err
		}
	}
	return srv.Run(ctx, cfg.Addr, nil)
}

// newServer builds the HTTP server over db and p: the briefing index loaded
// from the store and kept current by the pipeline, metrics hooked in.
func (m *Main) newServer(ctx context.Context, cfg config.Config, db store.Store, p *pipeline.Pipeline, log *slog.Logger) (*serve.Server, error) {
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
	notifier := &alerts.Notifier{Store: db, Lens: en, Logger: log, AllowPrivate: cfg.AllowPrivate}
	site := &web.Site{Store: db, Lens: en, Token: cfg.Token, Logger: log, Alerts: notifier}
	site.DefaultPlace = cfg.DefaultPlace
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
