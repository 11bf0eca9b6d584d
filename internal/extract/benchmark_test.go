package extract

import (
	"context"
	"flag"
	"path/filepath"
	"testing"
	"time"
)

var benchPages = flag.Bool("benchmark-pages", false, "TestBenchmark: log the score of every page")

// TestBenchmark scores Extract on the article-extraction benchmark and guards against
// regressions. Run with -v to see the figures and the worst pages.
func TestBenchmark(t *testing.T) {
	dir := sharedDir(t, filepath.Join("data", "pages", "article-extraction-benchmark"))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	start := time.Now()
	// The race detector (and -short) slow Extract down several times; score a sample then.
	step, want := 1, 181
	if raceEnabled || testing.Short() {
		step, want = 6, 31
	}
	rep, err := scoreBenchmark(ctx, dir, step)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages in %v\n%s", rep.Pages, time.Since(start).Round(time.Millisecond), rep)
	logPage := func(what string, s PageScore) {
		t.Logf("%s: F1=%.3f P=%.3f R=%.3f %.8s %s err=%v", what, s.F1(), s.Precision, s.Recall, s.ID, s.URL, s.Err)
	}
	if *benchPages {
		for _, s := range rep.Scores {
			logPage("page", s)
		}
	}
	for _, s := range rep.Worst(10) {
		logPage("worst", s)
	}
	if rep.Pages != want {
		t.Errorf("scored %d pages, want %d", rep.Pages, want)
	}
	if rep.F1 < 0.90 {
		t.Errorf("F1 = %.3f, want >= 0.90", rep.F1)
	}
}
