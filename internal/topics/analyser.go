package topics

import (
	"context"

	"github.com/vantage-news/vantage/internal/article"
)

// Analyser adds topic labels to articles in the ingest pipeline.
type Analyser struct{ M *Model }

// Name names the step in rejection reasons and logs.
func (Analyser) Name() string { return "topics" }

// Analyse sets a.Analysis.Topics.
func (an Analyser) Analyse(_ context.Context, a *article.Article) error {
	if a.Analysis == nil {
		a.Analysis = &article.Analysis{}
	}
	a.Analysis.Topics = an.M.Classify(a.Title, a.Text)
	return nil
}
