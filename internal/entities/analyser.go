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
	ents := an.X.Extract(a.Title, a.Text)
	// Places are the geoparser's: when it already resolved exactly this span
	// (a dateline such as "BAGHDAD —"), the span is not also an entity.
	if len(a.Analysis.Places) > 0 {
		placeSpan := make(map[[2]int]bool, len(a.Analysis.Places))
		for _, p := range a.Analysis.Places {
			placeSpan[[2]int{p.Start, p.End}] = true
		}
		kept := ents[:0]
		for _, e := range ents {
			if !placeSpan[[2]int{e.Start, e.End}] {
				kept = append(kept, e)
			}
		}
		ents = kept
	}
	a.Analysis.Entities = ents
	return nil
}
