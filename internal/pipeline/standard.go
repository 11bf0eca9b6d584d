package pipeline

import (
	"fmt"

	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"
	"github.com/vantage-news/vantage/internal/topics"
)

// Standard returns the analysis steps every ingest path runs, in order:
// people and organisations (entities), places and focus (geo, which leaves
// out place names inside those names and keeps the spans that are places),
// topics. A nil g loads the embedded gazetteer.
func Standard(g *gazetteer.Gazetteer) ([]Analyser, error) {
	if g == nil {
		var err error
		if g, err = gazetteer.Default(); err != nil {
			return nil, fmt.Errorf("load gazetteer: %w", err)
		}
	}
	gp, err := geo.New(g, geo.Options{})
	if err != nil {
		return nil, fmt.Errorf("build geoparser: %w", err)
	}
	tm, err := topics.Default()
	if err != nil {
		return nil, fmt.Errorf("load topic model: %w", err)
	}
	return []Analyser{entities.Analyser{X: entities.New(g)}, geo.Analyser{P: gp}, topics.Analyser{M: tm}}, nil
}
