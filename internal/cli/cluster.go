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
	final := fs.Bool("final", false, "write the lines when the input ends, with each article's final story (after later merges and splits) instead of the story it joined on arrival")
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
	var held []line // --final: every line, written at the end
	for rec := range ingest.JSONLines(ctx, in, name, ingest.Options{}) {
		l := line{ID: rec.Article.ID}
		if rec.Err != nil {
			l.Error = rec.Where + ": " + rec.Err.Error()
		} else {
			a := rec.Article
			as := eng.Add(cluster.DocFromArticle(&a))
			l = line{ID: as.ID, Story: as.Story, DuplicateOf: as.DuplicateOf}
		}
		if *final {
			held = append(held, l)
			continue
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	for _, l := range held {
		if l.Error == "" {
			l.Story = eng.StoryOf(l.ID, l.Story)
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return ctx.Err()
}
