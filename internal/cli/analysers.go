package cli

import (
	"fmt"

	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/topics"
)

// analysers loads the analysis steps every ingest path runs.
func analysers() ([]pipeline.Analyser, error) {
	tm, err := topics.Default()
	if err != nil {
		return nil, fmt.Errorf("load topic model: %w", err)
	}
	return []pipeline.Analyser{topics.Analyser{M: tm}}, nil
}
