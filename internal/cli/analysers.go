package cli

import "github.com/vantage-news/vantage/internal/pipeline"

// analysers loads the analysis steps every ingest path runs: places and focus,
// people and organisations, topics.
func analysers() ([]pipeline.Analyser, error) { return pipeline.Standard(nil) }
