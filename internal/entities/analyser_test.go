package entities

import (
	"context"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
)

func TestAnalyserLeavesPlaceSpansToTheGeoparser(t *testing.T) {
	a := &article.Article{Title: "Pact", Text: "BAGHDAD — Prime Minister Mohammed Shia al-Sudani spoke.",
		Analysis: &article.Analysis{Places: []article.PlaceMention{{Start: 0, End: 7, Text: "BAGHDAD"}}}}
	if err := (Analyser{X: New(nil)}).Analyse(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	for _, e := range a.Analysis.Entities {
		if e.Start == 0 && e.End == 7 {
			t.Errorf("place span also emitted as entity %+v", e)
		}
	}
	if len(a.Analysis.Entities) == 0 {
		t.Error("the person was lost")
	}
}
