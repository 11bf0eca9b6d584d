package cli

import (
	"bufio"
	"context"
	"encoding/json"

	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/ingest"
)

func (m *Main) runCluster(ctx context.Context, args []string) error {
	fs, l := m.flags("cluster", "[FILE|-]")
	window := fs.Duration("window", 0, "sliding time window of live stories (default 7 days)")
	threshold := fs.Float64("threshold", 0, "similarity needed to join a story (default: the tuned value)")
	_, in, name, closeIn, err := m.parseInput(fs, l, args)
	if err != nil {
		return err
	}
	defer closeIn()
	eng := cluster.New(cluster.Options{Window: *window, Threshold: *threshold})
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	type line struct {
		ID          string `json:"id"`
		Story       string `json:"story,omitempty"`
		DuplicateOf string `json:"duplicate_of"`
		Error       string `json:"error,omitempty"`
	}
	for rec := range ingest.JSONLines(ctx, in, name, ingest.Options{}) {
		if rec.Err != nil {
			enc.Encode(line{ID: rec.Article.ID, Error: rec.Where + ": " + rec.Err.Error()})
			continue
		}
		a := rec.Article
		as := eng.Add(cluster.DocFromArticle(&a))
		if err := enc.Encode(line{ID: as.ID, Story: as.Story, DuplicateOf: as.DuplicateOf}); err != nil {
			return err
		}
	}
	return ctx.Err()
}
