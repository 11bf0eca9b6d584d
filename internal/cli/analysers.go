package cli

import (
	"fmt"

	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/topics"
)

// analysers loads the analysis steps every ingest path runs: places and focus,
// people and organisations, topics.
func analysers() ([]pipeline.Analyser, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	gp, err := geo.New(g, geo.Options{})
	if err != nil {
		return nil, fmt.Errorf("build geoparser: %w", err)
	}
	tm, err := topics.Default()
	if err != nil {
		return nil, fmt.Errorf("load topic model: %w", err)
	}
	return []pipeline.Analyser{geo.Analyser{P: gp}, entities.Analyser{X: entities.New(g)}, topics.Analyser{M: tm}}, nil
}
