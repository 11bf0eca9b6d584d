package cluster

import (
	"context"
	"testing"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// Regression guards on the dev corpora, set slightly below the figures in
// README.md.
func TestEvalGoogleNews(t *testing.T) {
	p := sharedtest.Path(t, "data/stories/googlenews_mstream.dev.jsonl")
	r, err := EvalStories(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	if r.Docs != 9357 || r.Gold != 122 {
		t.Errorf("read %d articles in %d stories, want 9357 in 122", r.Docs, r.Gold)
	}
	guards := map[string]struct{ nmi, f1 float64 }{
		"News-T (pos_news_t)": {0.895, 0.81},
		"News (pos_news)":     {0.875, 0.77},
	}
	for _, run := range r.Runs {
		g := guards[run.Order]
		if run.NMI < g.nmi || run.F1 < g.f1 {
			t.Errorf("%s: NMI %.3f, B³-F1 %.3f; want ≥ %.2f and ≥ %.2f", run.Order, run.NMI, run.F1, g.nmi, g.f1)
		}
	}
}

func TestEvalECBPlus(t *testing.T) {
	p := sharedtest.Path(t, "data/stories/ecbplus.dev.jsonl")
	r, err := EvalStories(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	guards := map[string]float64{"file order": 0.855, "shuffled (seed 1)": 0.86,
		"file order +ents": 0.86, "shuffled (seed 1) +ents": 0.86}
	for _, run := range r.Runs {
		if run.F1 < guards[run.Order] {
			t.Errorf("%s: B³-F1 %.3f, want ≥ %.2f", run.Order, run.F1, guards[run.Order])
		}
	}
}

func TestEvalSummaries(t *testing.T) {
	p := sharedtest.Path(t, "data/summaries/wikinewssum-en-2004-dev.jsonl")
	r, err := EvalSummaries(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	if r.Clusters != 40 {
		t.Errorf("%d clusters scored, want 40", r.Clusters)
	}
	ours, rank := r.Systems[0].Rouge, r.Systems[4].Rouge
	if ours.R1F < 0.25 || ours.R2F < 0.06 || ours.RLF < 0.16 {
		t.Errorf("ROUGE-1/2/L F1 %.3f/%.3f/%.3f, want ≥ 0.25/0.06/0.16", ours.R1F, ours.R2F, ours.RLF)
	}
	if ours.R1F < rank.R1F {
		t.Errorf("ROUGE-1 F1 %.3f below TextRank's %.3f", ours.R1F, rank.R1F)
	}
}
