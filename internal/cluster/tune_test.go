package cluster

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
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
	opts := Options{Threshold: f("T"), TitleThreshold: f("TT"), MergeRatio: f("M"), CentroidTerms: int(f("CT")), MaxCandidates: int(f("MC")), BigramWeight: f("BW"), NameWeight: f("NW"), NameBase: f("NB"), MinNames: int(f("MN")), NameTerms: int(f("NT")), NameMaxDF: f("MDF"), EntityBase: f("EB"), PlaceBase: f("PB"), SizeBonus: f("SB"), UndatedThreshold: f("UT"), DayWeight: f("DW"), DayBase: f("DB"), UndatedMergeRatio: f("UM"), SplitRatio: f("SR"), SplitFrom: int(f("SF")), SplitMinGroup: int(f("MG")), SplitMax: int(f("SM"))}
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

// TestTuneSeeds prints the ECB+ B³-F1 over ten shuffles not used for
// tuning (PCG seeds 2–11), with and without the production analysers, for
// the defaults and for OLD_UT/OLD_DW/OLD_UM (a development aid; skipped
// unless CLUSTER_TUNE=1).
func TestTuneSeeds(t *testing.T) {
	if os.Getenv("CLUSTER_TUNE") != "1" {
		t.Skip("set CLUSTER_TUNE=1")
	}
	f := func(k string) float64 { v, _ := strconv.ParseFloat(os.Getenv(k), 64); return v }
	items, _, err := readStories("../../../shared/data/stories/ecbplus.dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	an, err := analyseItems(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	alt := Options{UndatedThreshold: f("OLD_UT"), DayWeight: f("OLD_DW"), UndatedMergeRatio: f("OLD_UM"), SplitRatio: f("OLD_SR")}
	def := Options{SplitRatio: f("SR"), SplitFrom: int(f("SF")), SplitMax: int(f("SM")), UndatedThreshold: f("UT"), UndatedMergeRatio: f("UM"), NameBase: f("NB")}
	for _, ents := range []bool{false, true} {
		var fa, fd float64
		for seed := uint64(2); seed < 12; seed++ {
			sh := slices.Clone(items)
			if ents {
				for i := range sh {
					sh[i].doc = an[sh[i].doc.ID]
				}
			}
			rand.New(rand.NewPCG(seed, 7)).Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
			a, _ := runStories(context.Background(), sh, alt)
			d, _ := runStories(context.Background(), sh, def)
			fa += a.F1 / 10
			fd += d.F1 / 10
			t.Logf("ents=%v seed %2d: alternative %.3f (%d topics mixed), defaults %.3f (%d)", ents, seed, a.F1, a.TopicsMixed, d.F1, d.TopicsMixed)
		}
		t.Logf("ents=%v mean B³-F1: alternative %.3f, defaults %.3f", ents, fa, fd)
	}
}
