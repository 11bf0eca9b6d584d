package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/pipeline"
)

func (m *Main) runIngest(ctx context.Context, args []string) error {
	fs, l := m.flags("ingest", "FILE|DIR|- ...")
	batch := fs.Int("batch", 500, "articles per transaction")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	quiet := fs.Bool("quiet", false, "no progress bar")
	noAnalyse := fs.Bool("no-analyse", false, "store articles without analysing them (places, entities, topics)")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	p := &pipeline.Pipeline{Store: db, BatchSize: *batch, Logger: m.logger(cfg)}
	if !*noAnalyse {
		if p.Analysers, err = analysers(); err != nil {
			return err
		}
	}
	if err := withStories(ctx, cfg, p); err != nil {
		return err
	}
	if !*quiet && isTerminal(m.Stderr) {
		p.Progress = progressBar(m, time.Now())
	}
	sum, err := p.Run(ctx, ingest.Paths(ctx, pos, m.Stdin, ingest.Options{}))
	if p.Progress != nil {
		fmt.Fprint(m.Stderr, "\r\033[K")
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(sum)
	} else {
		fmt.Fprintf(m.Stdout, "%s in %s\n", sum, sum.Elapsed.Round(time.Millisecond))
		for _, e := range sum.Errors {
			fmt.Fprintf(m.Stdout, "  rejected %s\n", e)
		}
	}
	return err
}

// progressBar redraws one status line on the terminal after each batch.
func progressBar(m *Main, start time.Time) func(pipeline.Summary) {
	spin := []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
	i := 0
	return func(s pipeline.Summary) {
		el := time.Since(start).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(s.Read) / el
		}
		fmt.Fprintf(m.Stderr, "\r\033[K%c read %d  new %d  duplicate %d  rejected %d  (%.0f/s)", spin[i%len(spin)], s.Read, s.New, s.Duplicate, s.Rejected, rate)
		i++
	}
}
