package pipeline

import (
	"context"
	"os"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

// BenchmarkAnalysers runs each standard analyser, and entities + topics
// together, over the first 1,000 Wikinews articles; it reports articles/s
// (run with GOMAXPROCS=1 for the one-core figure).
func BenchmarkAnalysers(b *testing.B) {
	path := sharedtest.Path(b, "data/demo-corpus/wikinews.jsonl")
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var arts []article.Article
	for rec := range ingest.JSONLines(context.Background(), f, path, ingest.Options{}) {
		if rec.Err == nil {
			arts = append(arts, rec.Article)
		}
		if len(arts) == 1000 {
			break
		}
	}
	if len(arts) == 0 {
		b.Fatal("no articles read")
	}
	ans, err := Standard(nil)
	if err != nil {
		b.Fatal(err)
	}
	sets := map[string][]Analyser{"geo": ans[:1], "entities": ans[1:2], "topics": ans[2:3], "entities+topics": ans[1:3], "all": ans}
	for _, name := range []string{"geo", "entities", "topics", "entities+topics", "all"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			n := 0
			for b.Loop() {
				a := arts[n%len(arts)]
				a.Analysis = nil
				for _, an := range sets[name] {
					if err := an.Analyse(ctx, &a); err != nil {
						b.Fatal(err)
					}
				}
				n++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
