package cluster

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// TestTune prints the dev figures for the options in CLUSTER_TUNE_* (a
// development aid; skipped unless CLUSTER_TUNE=1).
func TestTune(t *testing.T) {
	if os.Getenv("CLUSTER_TUNE") != "1" {
		t.Skip("set CLUSTER_TUNE=1")
	}
	f := func(k string) float64 { v, _ := strconv.ParseFloat(os.Getenv(k), 64); return v }
	opts := Options{Threshold: f("T"), TitleThreshold: f("TT"), MergeRatio: f("M"), CentroidTerms: int(f("CT")), MaxCandidates: int(f("MC")), BigramWeight: f("BW"), NameWeight: f("NW"), NameBase: f("NB"), MinNames: int(f("MN")), NameTerms: int(f("NT")), NameMaxDF: f("MDF"), EntityBase: f("EB"), PlaceBase: f("PB"), SizeBonus: f("SB"), UndatedThreshold: f("UT"), DayWeight: f("DW"), DayBase: f("DB"), UndatedMergeRatio: f("UM")}
	for _, p := range []string{"../../../shared/data/stories/googlenews_mstream.dev.jsonl", "../../../shared/data/stories/ecbplus.dev.jsonl"} {
		if os.Getenv("ONLY") != "" && !contains(p, os.Getenv("ONLY")) {
			continue
		}
		r, err := EvalStories(context.Background(), p, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + r.String())
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[len(s)-len(sub):] == sub || contains(s[1:], sub)))
}

func TestTuneSummaries(t *testing.T) {
	if os.Getenv("CLUSTER_TUNE") != "1" {
		t.Skip("set CLUSTER_TUNE=1")
	}
	f := func(k string) float64 { v, _ := strconv.ParseFloat(os.Getenv(k), 64); return v }
	r, err := EvalSummaries(context.Background(), "../../../shared/data/summaries/wikinewssum-en-2004-dev.jsonl", Options{MMRLambda: f("L"), LeadSentences: int(f("LS"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
}
