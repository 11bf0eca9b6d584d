package cli

import (
	"context"

	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/serve"
)

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs, l := m.flags("serve", "", "addr", "token")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return errUsage
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	log := m.logger(cfg)
	ans, err := analysers()
	if err != nil {
		return err
	}
	srv := &serve.Server{
		Store:    db,
		Pipeline: &pipeline.Pipeline{Store: db, Logger: log, Analysers: ans},
		Token:    cfg.Token,
		Logger:   log,
		Version:  m.version(),
	}
	return srv.Run(ctx, cfg.Addr, nil)
}
