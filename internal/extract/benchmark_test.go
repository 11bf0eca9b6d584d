package extract

import (
	"os"
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestBenchmark scores Extract on the article-extraction benchmark and guards against
// regressions. Run with -v to see the figures and the worst pages.
func TestBenchmark(t *testing.T) {
	dir := sharedDir(t, filepath.Join("data", "pages", "article-extraction-benchmark"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	start := time.Now()
	rep, err := ScoreBenchmark(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages in %v\n%s", rep.Pages, time.Since(start).Round(time.Millisecond), rep)
	for _, s := range rep.Worst(15) {
		_ = s
	}
	for _, s := range rep.Scores {
		if os.Getenv("ALLPAGES") == "" {
			break
		}
		t.Logf("page: F1=%.3f P=%.3f R=%.3f %s %s err=%v", s.F1(), s.Precision, s.Recall, s.ID[:8], s.URL, s.Err)
	}
	for _, s := range rep.Worst(15) {
		t.Logf("worst: F1=%.3f P=%.3f R=%.3f %s %s err=%v", s.F1(), s.Precision, s.Recall, s.ID[:8], s.URL, s.Err)
	}
	if rep.Pages < 100 {
		t.Errorf("scored %d pages, want the full benchmark (181)", rep.Pages)
	}
	if rep.F1 < 0.90 {
		t.Errorf("F1 = %.3f, want >= 0.90", rep.F1)
	}
}
