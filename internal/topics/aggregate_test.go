package topics

import (
	"reflect"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
)

func TestAggregate(t *testing.T) {
	pol := func(s float64) article.Topic {
		return article.Topic{Slug: "politics", IPTC: "medtop:11000000", Score: s}
	}
	gen := func(s float64) article.Topic { return article.Topic{Slug: GeneralNews, Score: s} }
	spo := func(s float64) article.Topic { return article.Topic{Slug: "sport", IPTC: "medtop:15000000", Score: s} }
	eco := func(s float64) article.Topic {
		return article.Topic{Slug: "economy-business-finance", IPTC: "medtop:04000000", Score: s}
	}
	tests := []struct {
		name  string
		lists [][]article.Topic
		want  []article.Topic
	}{
		{"no articles", nil, nil},
		{"articles without topics", [][]article.Topic{nil, {}}, nil},
		{"one article keeps its topics", [][]article.Topic{{pol(0.9), gen(0.8)}}, []article.Topic{pol(0.9), gen(0.8)}},
		{"mean over all articles, absent counts 0",
			[][]article.Topic{{pol(0.9), spo(0.6)}, {pol(0.7)}},
			[]article.Topic{pol(0.8), spo(0.3)}},
		{"below the minimum share is dropped",
			[][]article.Topic{{pol(0.9), spo(0.9)}, {pol(0.7)}, {pol(0.8)}},
			[]article.Topic{pol(0.8)}},
		{"exactly half is kept",
			[][]article.Topic{{pol(1), eco(0.6)}, {pol(0.6), eco(0.6)}, {pol(0.8)}, {pol(0.6)}},
			[]article.Topic{pol(0.75), eco(0.3)}},
		{"ties broken by slug",
			[][]article.Topic{{spo(0.6), pol(0.6), eco(0.6)}},
			[]article.Topic{eco(0.6), pol(0.6), spo(0.6)}},
		{"ties after rounding broken by slug",
			[][]article.Topic{{spo(0.6001), pol(0.5999)}},
			[]article.Topic{pol(0.6), spo(0.6)}},
		{"slug repeated in one list counts once at its best score",
			[][]article.Topic{{pol(0.5), pol(0.9)}, {pol(0.7)}},
			[]article.Topic{pol(0.8)}},
		{"IPTC from the taxonomy",
			[][]article.Topic{{{Slug: "politics", Score: 0.7}}, {{Slug: "politics", IPTC: "wrong", Score: 0.9}}},
			[]article.Topic{pol(0.8)}},
		{"unknown slug keeps the given IPTC",
			[][]article.Topic{{{Slug: "x-topic", IPTC: "medtop:99", Score: 0.5}}},
			[]article.Topic{{Slug: "x-topic", IPTC: "medtop:99", Score: 0.5}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Aggregate(tc.lists)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Aggregate(%v)\n got %v\nwant %v", tc.lists, got, tc.want)
			}
			// Order of the articles does not matter.
			rev := make([][]article.Topic, len(tc.lists))
			for i, l := range tc.lists {
				rev[len(tc.lists)-1-i] = l
			}
			if got2 := Aggregate(rev); !reflect.DeepEqual(got2, got) {
				t.Errorf("reversed articles: got %v, want %v", got2, got)
			}
		})
	}
}

func TestAggregateClassified(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	lists := [][]article.Topic{
		m.Classify(footballTransfer[0], footballTransfer[1]),
		m.Classify(footballTransferDeal[0], footballTransferDeal[1]),
	}
	got := Aggregate(lists)
	if len(got) == 0 || got[0].Slug != "sport" {
		t.Errorf("story of two transfer articles: %+v, want sport first", got)
	}
}
