package cli

import (
	"context"

	"github.com/vantage-news/vantage/internal/serve"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs, l := m.flags("serve", "", "addr", "token")
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
	srv := &serve.Server{
		Store:    db,
		Pipeline: p,
		Token:    cfg.Token,
		Logger:   log,
		Version:  m.version(),
	}
	return srv.Run(ctx, cfg.Addr, nil)
}
