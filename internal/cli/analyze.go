package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/ingest"
)

// analyzeOut is one output line of `vantage analyze`. Offsets are Unicode code
// points into the input's text, end exclusive.
type analyzeOut struct {
	ID       string                 `json:"id"`
	Places   []article.PlaceMention `json:"places"`
	Focus    []article.Focus        `json:"focus"`
	Entities []article.Entity       `json:"entities"`
	Topics   []article.Topic        `json:"topics"`
	Error    string                 `json:"error,omitempty"`
}

func (m *Main) runAnalyze(ctx context.Context, args []string) error {
	fs, l := m.flags("analyze", "[FILE|-]")
	_, in, name, closeIn, err := m.parseInput(fs, l, args)
	if err != nil {
		return err
	}
	defer closeIn()
	ans, err := analysers()
	if err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for rec := range ingest.JSONLines(ctx, in, name, ingest.Options{}) {
		out := analyzeOut{ID: rec.Article.ID, Places: []article.PlaceMention{}, Focus: []article.Focus{},
			Entities: []article.Entity{}, Topics: []article.Topic{}}
		if rec.Err != nil {
			out.Error = fmt.Sprintf("%s: %v", rec.Where, rec.Err)
			enc.Encode(out)
			continue
		}
		a := rec.Article // not normalised: offsets refer to the text as given
		for _, an := range ans {
			if err := an.Analyse(ctx, &a); err != nil {
				out.Error = fmt.Sprintf("%s: %s: %v", rec.Where, an.Name(), err)
				break
			}
		}
		if an := a.Analysis; an != nil {
			if an.Places != nil {
				out.Places = an.Places
			}
			if an.Focus != nil {
				out.Focus = an.Focus
			}
			if an.Entities != nil {
				out.Entities = an.Entities
			}
			if an.Topics != nil {
				out.Topics = an.Topics
			}
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	return ctx.Err()
}
