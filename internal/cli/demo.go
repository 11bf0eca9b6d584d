package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/demo"
	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
)

func (m *Main) runDemo(ctx context.Context, args []string) error {
	fs, l := m.flags("demo", "", "addr", "token", "allow_private", "fetch_timeout", "poll_interval", "nearby_km", "llm_url", "llm_model", "llm_key")
	about := fs.Bool("about", false, "print where the sample comes from and its licence, then exit")
	loadOnly := fs.Bool("load-only", false, "load the sample, print the summary and counts, and exit without serving")
	live := fs.Bool("live", false, "also poll a default list of public world-news feeds")
	opml := fs.String("opml", "", "also poll the feeds of this OPML file")
	keep := fs.Bool("keep", false, "keep the demo database instead of deleting it on exit")
	cfg, err := m.parseNoArgs(fs, l, args)
	if err != nil {
		return err
	}
	if *about {
		fmt.Fprintln(m.Stdout, demo.About())
		return nil
	}
	dir, err := os.MkdirTemp("", "vantage-demo-")
	if err != nil {
		return fmt.Errorf("demo database: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	cfg.DB = filepath.Join(dir, "demo.db")
	log := m.logger(cfg)
	db, p, err := openPipeline(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := p.Run(ctx, ingest.JSONLines(ctx, demo.Sample(), "demo sample", ingest.Options{}))
	if err != nil {
		return fmt.Errorf("load demo sample: %w", err)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Loaded the demo sample: %s. Store: %d articles from %d sources.\n", sum, st.Articles, st.Sources)
	if *keep {
		fmt.Fprintf(m.Stdout, "Demo database kept at %s\n", cfg.DB)
	}
	if *loadOnly {
		return nil
	}
	// poll the default feeds (--live), an OPML file's, and any a user adds on
	// the sources page; the same poller fetches a feed on request
	poller, err := m.startLive(ctx, cfg, db, p, *live, *opml)
	if err != nil {
		return err
	}
	srv, err := m.buildServer(ctx, cfg, db, p, log, poller)
	if err != nil {
		return err
	}
	return srv.Run(ctx, cfg.Addr, func(a net.Addr) {
		fmt.Fprintf(m.Stdout, "Vantage demo at http://%s/ — try http://%s/?place=Istanbul&topics=politics\n(API: http://%s/api/v1/brief?place=Istanbul; Ctrl-C stops and deletes the demo database)\n", a, a, a)
	})
}

// startLive subscribes the demo database to the default world-news feeds
// (--live) and/or an OPML file, and polls the subscribed feeds once now and
// then every minute in the background until ctx ends, with the poller it
// returns (which also serves "fetch now").
func (m *Main) startLive(ctx context.Context, cfg config.Config, db store.Store, p *pipeline.Pipeline, defaults bool, opmlPath string) (*feeds.Poller, error) {
	var sources []io.Reader
	if defaults {
		sources = append(sources, demo.WorldFeeds())
	}
	if opmlPath != "" {
		f, err := os.Open(opmlPath)
		if err != nil {
			return nil, fmt.Errorf("--opml: %w", err)
		}
		defer f.Close()
		sources = append(sources, f)
	}
	for _, r := range sources {
		added, _, err := importOPML(ctx, db, r)
		if err != nil {
			return nil, fmt.Errorf("subscribe demo feeds: %w", err)
		}
		fmt.Fprintf(m.Stdout, "Subscribed to %d feeds; polling every %s.\n", added, cfg.PollInterval)
	}
	poller := newServePoller(cfg, db, p, m.logger(cfg))
	go pollLoop(ctx, poller, m.logger(cfg))
	return poller, nil
}
