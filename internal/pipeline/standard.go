package pipeline

import (
	"fmt"

	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"
	"github.com/vantage-news/vantage/internal/topics"
)

// Standard returns the analysis steps every ingest path runs, in order:
// places and focus (geo), people and organisations (entities, which leave
// place names to geo), topics. A nil g loads the embedded gazetteer.
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
	return []Analyser{geo.Analyser{P: gp}, entities.Analyser{X: entities.New(g)}, topics.Analyser{M: tm}}, nil
}
