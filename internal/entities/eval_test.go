package entities

import (
	"context"
	"testing"

	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

// TestEvalGUM prints the GUM news figures (go test -run EvalGUM -v) and guards
// against regressions.
func TestEvalGUM(t *testing.T) {
	dir := sharedtest.Path(t, "data/demo-corpus/originals/gum-news")
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := EvalGUM(context.Background(), dir, New(g))
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
	// Guards a little below the figures reached (PER 0.806, ORG 0.691).
	min := map[string]float64{Person: 0.77, Organisation: 0.65}
	for typ, f := range min {
		if got := rep.Types[typ].F1(); got < f {
			t.Errorf("%s F1 = %.3f, want >= %.3f", typ, got, f)
		}
	}
}
