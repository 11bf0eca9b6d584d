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

// TestClassifyIranIraqPact: a real hard-news story (the shared example, read
// through internal/sharedtest) must carry politics, policy-and-legislation and
// general-news with scores at or above Threshold, and not sport. The example's
// last two lines name the slugs literally ("policy-and-legislation, politics,
// and general news"); the story must get them without those lines too.
func TestClassifyIranIraqPact(t *testing.T) {
	p := sharedPath(t, "examples/iran-iraq-border-pact.txt")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	full := strings.TrimSpace(string(b))
	var body []string
	for _, line := range strings.Split(full, "\n") {
		if !strings.HasPrefix(line, "- ") {
			body = append(body, line)
		}
	}
	for name, story := range map[string]string{"full": full, "without the closing bullets": strings.Join(body, "\n")} {
		title, text, _ := strings.Cut(story, "\n")
		got := m.Classify(title, text)
		t.Logf("%s: %+v", name, got)
		score := map[string]float64{}
		for _, tp := range got {
			score[tp.Slug] = tp.Score
		}
		for _, want := range []string{"politics", "policy-and-legislation", "general-news", "diplomacy"} {
			if v, ok := score[want]; !ok || v < Threshold || v > 1 {
				t.Errorf("%s: %s missing or score %.3f out of [%.1f,1] in %+v", name, want, v, Threshold, got)
			}
		}
		for _, not := range []string{"sport", "arts-culture-entertainment", "weather", "lifestyle-leisure"} {
			if _, ok := score[not]; ok {
				t.Errorf("%s: unexpected %s in %+v", name, not, got)
			}
		}
		if s := m.Scores(title, text)["sport"]; s > 0.05 {
			t.Errorf("%s: sport scores %.3f, want near 0", name, s)
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

// footballTransferDeal is a transfer story full of the words that cue
// policy-and-legislation (deal, agreement, signed, rules, regulations, ban).
var footballTransferDeal = [2]string{
	"Chelsea agree deal to sign Dutch midfielder after FIFA clears transfer",
	"Chelsea have reached an agreement with Ajax to sign midfielder Daan Visser for £38m after FIFA " +
		"cleared the transfer under its new regulations on loans. The deal was signed on Friday and the " +
		"23-year-old will join on a six-year contract once the transfer window opens. The club had to " +
		"comply with Premier League profit and sustainability rules, and a registration ban imposed last " +
		"season was lifted in January. Visser scored nine goals in the Eredivisie and made his debut for " +
		"the Netherlands in March. Head coach Enzo Maresca said the midfielder would strengthen the squad " +
		"for the Champions League.",
}

// TestClassifyFootballTransferIsNotPolitics: football transfers are sport,
// never politics or policy-and-legislation, even with deal/rules/ban words.
func TestClassifyFootballTransferIsNotPolitics(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, story := range [][2]string{footballTransfer, footballTransferDeal} {
		got := topicSlugs(m, story[0], story[1])
		t.Logf("topics: %+v", m.Classify(story[0], story[1]))
		if !slices.Contains(got, "sport") {
			t.Errorf("%q: got %v, want sport", story[0], got)
		}
		for _, not := range []string{"politics", "policy-and-legislation", "elections", "diplomacy", "general-news"} {
			if slices.Contains(got, not) {
				t.Errorf("%q: got %v, must not contain %s", story[0], got, not)
			}
		}
		if s := m.Scores(story[0], story[1])["policy-and-legislation"]; s >= 0.2 {
			t.Errorf("%q: policy-and-legislation scores %.3f, want < 0.2", story[0], s)
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
