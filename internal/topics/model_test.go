package topics

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
)

func TestEmbeddedModelLoads(t *testing.T) {
	start := time.Now()
	m, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load: %s, %d heads, %d prior phrases", time.Since(start), len(m.heads), len(m.phrases))
	if len(Taxonomy()) < 21 {
		t.Fatalf("taxonomy has %d slugs, want >= 21", len(Taxonomy()))
	}
	for _, h := range []string{"politics", "sport", "economy-business-finance", "science-technology", "arts-culture-entertainment"} {
		if !slices.Contains(m.Heads(), h) {
			t.Errorf("no trained head for %s", h)
		}
	}
	// Round trip: writing the loaded model reproduces the embedded bytes.
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embeddedModel) {
		t.Error("WriteTo(Load()) differs from the embedded file")
	}
}

func TestScoresCoverTaxonomy(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	s := m.Scores("Storm floods the valley", "Heavy rain flooded homes and the army evacuated residents.")
	for _, sl := range Taxonomy() {
		v, ok := s[sl.Slug]
		if !ok || v < 0 || v > 1 {
			t.Errorf("score of %s = %v, %v; want in [0,1]", sl.Slug, v, ok)
		}
	}
}

func topicSlugs(m *Model, title, text string) []string {
	var out []string
	for _, tp := range m.Classify(title, text) {
		out = append(out, tp.Slug)
	}
	return out
}

func TestClassifyIranIraqPact(t *testing.T) {
	p := sharedPath(t, "examples/iran-iraq-border-pact.txt")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	title, text, _ := strings.Cut(string(b), "\n")
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	got := m.Classify(title, text)
	t.Logf("topics: %+v", got)
	for _, want := range []string{"politics", "policy-and-legislation", "general-news", "diplomacy"} {
		if !slices.Contains(topicSlugs(m, title, text), want) {
			t.Errorf("missing %s in %v", want, got)
		}
	}
	for _, not := range []string{"sport", "arts-culture-entertainment", "weather"} {
		if slices.Contains(topicSlugs(m, title, text), not) {
			t.Errorf("unexpected %s in %v", not, got)
		}
	}
}

// Texts written for these tests.
var footballTransfer = [2]string{
	"Arsenal complete £45m signing of Brazilian winger from Lyon",
	"Arsenal have completed the signing of winger Lucas Moreira from Lyon for a fee of £45m, " +
		"the Premier League club announced on Tuesday. The 23-year-old has agreed a five-year contract " +
		"and will wear the number 11 shirt. Manager Mikel Arteta said the forward would add pace and goals " +
		"to the squad ahead of the Champions League campaign. Moreira scored 14 goals in Ligue 1 last season " +
		"and passed his medical at the club's training ground in London Colney on Monday. Lyon had rejected " +
		"two earlier bids before the clubs agreed the transfer fee, which could rise with add-ons.",
}

func TestClassifyFootballTransferIsNotPolitics(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	got := topicSlugs(m, footballTransfer[0], footballTransfer[1])
	t.Logf("topics: %+v", m.Classify(footballTransfer[0], footballTransfer[1]))
	if !slices.Contains(got, "sport") {
		t.Errorf("football transfer: got %v, want sport", got)
	}
	for _, not := range []string{"politics", "policy-and-legislation", "elections", "diplomacy", "general-news"} {
		if slices.Contains(got, not) {
			t.Errorf("football transfer: got %v, must not contain %s", got, not)
		}
	}
}

func TestClassifyThreshold(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ title, text string }{
		{footballTransfer[0], footballTransfer[1]},
		{"Parliament passes budget", "Lawmakers voted 310 to 250 to approve the government's budget bill on Tuesday."},
		{"", ""},
		{"Recipe", "Whisk two eggs with sugar and fold in the flour."},
	}
	for _, tc := range tests {
		got := m.Classify(tc.title, tc.text)
		s := m.Scores(tc.title, tc.text)
		level1 := 0
		for i, tp := range got {
			if i > 0 && got[i-1].Score < tp.Score {
				t.Errorf("%q: not sorted by score: %+v", tc.title, got)
			}
			if tp.Score < Threshold {
				level1++
				if tp.Score < FallbackThreshold {
					t.Errorf("%q: %s score %.3f below the fallback threshold", tc.title, tp.Slug, tp.Score)
				}
			}
			if tp.IPTC != iptcOf(tp.Slug) {
				t.Errorf("%q: %s has IPTC %q", tc.title, tp.Slug, tp.IPTC)
			}
		}
		if level1 > 1 {
			t.Errorf("%q: %d labels below Threshold, want at most one fallback: %+v", tc.title, level1, got)
		}
		for slug, v := range s {
			if v >= Threshold && !slices.ContainsFunc(got, func(tp article.Topic) bool { return tp.Slug == slug }) {
				t.Errorf("%q: %s scores %.3f but was not returned", tc.title, slug, v)
			}
		}
	}
}
