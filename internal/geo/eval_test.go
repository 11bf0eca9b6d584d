package geo

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

var testParser = sync.OnceValues(func() (*Parser, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, err
	}
	return New(g, Options{})
})

func parser(tb testing.TB) *Parser {
	tb.Helper()
	p, err := testParser()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestScoreEUPEGReproducesPublished scores the system outputs EUPEG ships against its gold
// and compares with the published tables (Wang & Hu 2019; the dev README).
func TestScoreEUPEGReproducesPublished(t *testing.T) {
	dir := sharedtest.Path(t, "data/geoparse/dev/eupeg-reference")
	tests := []struct {
		corpus, system      string
		p, r, f1, acc, mean float64 // -1: not published here
	}{
		{"LGL", "CLAVIN", 0.808, 0.444, 0.573, 0.701, 1261},
		{"GeoVirus", "CamCoder", 0.940, 0.802, 0.866, 0.770, -1},
		{"LGL", "DBpedia", -1, -1, 0.713, -1, -1},
		{"LGL", "Edinburgh", -1, -1, -1, 0.819, -1},
		{"GeoVirus", "Edinburgh", -1, -1, -1, 0.807, -1},
	}
	for _, tt := range tests {
		t.Run(tt.corpus+"_"+tt.system, func(t *testing.T) {
			gold, err := ReadEUPEG(filepath.Join(dir, tt.corpus+"_gold.txt"))
			if err != nil {
				t.Fatal(err)
			}
			pred, err := ReadEUPEG(filepath.Join(dir, tt.corpus+"_"+tt.system+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			if len(gold) != len(pred) {
				t.Fatalf("%d gold lines, %d predicted", len(gold), len(pred))
			}
			s := ScoreEUPEG(gold, pred, true)
			t.Logf("P %.3f R %.3f F1 %.3f Acc@161 %.3f mean %.0f median %.1f AUC %.3f", s.Precision, s.Recall, s.F1, s.Acc161, s.MeanKm, s.MedianKm, s.AUC)
			check := func(name string, got, want, tol float64) {
				if want >= 0 && math.Abs(got-want) > tol {
					t.Errorf("%s = %.4f, want %.3f", name, got, want)
				}
			}
			check("precision", s.Precision, tt.p, 0.0011)
			check("recall", s.Recall, tt.r, 0.0011)
			check("F1", s.F1, tt.f1, 0.0011)
			check("Acc@161", s.Acc161, tt.acc, 0.0011)
			check("mean km", s.MeanKm, tt.mean, 1)
		})
	}
}

// TestEvalRegression guards the dev-set figures (a little below those reached) and, with
// GEO_WRITE_DOC=1, rewrites docs/evaluation.md (as `vantage eval geoparse --corpus
// ../shared/data/geoparse/dev --doc docs/evaluation.md` does).
func TestEvalRegression(t *testing.T) {
	p := parser(t)
	guards := map[string]struct{ f1, acc, auc float64 }{
		"lgl":      {0.805, 0.86, 0.225},
		"geovirus": {0.925, 0.85, 0.28},
	}
	reports, err := EvalCorpora(context.Background(), []string{sharedtest.Path(t, "data/geoparse/dev")}, p)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range reports {
		t.Log("\n" + r.String())
		switch r := r.(type) {
		case *GeoReport:
			g, ok := guards[r.Corpus]
			if !ok {
				continue
			}
			seen++
			if r.F1 < g.f1 || r.Acc161 < g.acc || r.AUC > g.auc {
				t.Errorf("%s: F1 %.3f (guard %.2f), Acc@161 %.3f (guard %.2f), AUC %.3f (guard ≤ %.2f)",
					r.Corpus, r.F1, g.f1, r.Acc161, g.acc, r.AUC, g.auc)
			}
		case *FocusReport:
			seen++
			if r.Top1Pct() < 89 {
				t.Errorf("focus top-1 %.1f %%, guard 89 %%", r.Top1Pct())
			}
		}
	}
	if seen != 3 {
		t.Errorf("%d of the 3 dev corpora evaluated", seen)
	}
	if os.Getenv("GEO_WRITE_DOC") == "1" {
		if err := os.WriteFile("../../docs/evaluation.md", []byte(EvaluationMarkdown(reports...)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
