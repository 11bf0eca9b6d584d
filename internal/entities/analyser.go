package entities

import (
	"context"

	"github.com/vantage-news/vantage/internal/article"
)

// Analyser adds people and organisations to articles in the ingest pipeline.
type Analyser struct{ X *Extractor }

// Name names the step in rejection reasons and logs.
func (Analyser) Name() string { return "entities" }

// Analyse sets a.Analysis.Entities.
func (an Analyser) Analyse(_ context.Context, a *article.Article) error {
	if a.Analysis == nil {
		a.Analysis = &article.Analysis{}
	}
	a.Analysis.Entities = an.X.Extract(a.Title, a.Text)
	return nil
}
