package cluster

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestCleanSentence(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "The jury found him guilty on Friday.", "The jury found him guilty on Friday.", true},
		{"dateline dashes", "NEW LONDON, Conn. -- Serial killer Michael Ross testified Tuesday.", "Serial killer Michael Ross testified Tuesday.", true},
		{"dateline en dash", "WASHINGTON – Lawmakers are questioning a French bank.", "Lawmakers are questioning a French bank.", true},
		{"dateline with agency", "NEW DELHI, Dec. 29 (UPI) -- With the death toll soaring, WHO warned.", "With the death toll soaring, WHO warned.", true},
		{"agency only", "(CNN) -- Thousands of Americans were clicking Internet sites Friday.", "Thousands of Americans were clicking Internet sites Friday.", true},
		{"city and Reuters", "NEW YORK (Reuters) - Kmart will buy Sears in a $11.5 billion deal.", "Kmart will buy Sears in a $11.5 billion deal.", true},
		{"dateline then date", "BEAVERTON, Ore. - December 15, 2004 - The lab announced a study.", "The lab announced a study.", true},
		{"date only", "Thursday, November 18, 2004 — The court met again.", "The court met again.", true},
		{"mixed-case place kept", "Redwood City, California - The jury in the trial decided.", "Redwood City, California - The jury in the trial decided.", true},
		{"leading bullet", "\u0097 After three vote tallies, Gregoire was declared governor-elect.", "After three vote tallies, Gregoire was declared governor-elect.", true},
		{"trailing credit", "Silva is on a five-day state visit to Beijing. [Reuters]", "Silva is on a five-day state visit to Beijing.", true},
		{"photo credit", "Martin Sheen marched in Sunday's demonstration. (Photo: AP)", "Martin Sheen marched in Sunday's demonstration.", true},
		{"quote close", `"This decision is his right to make," Clifford said.`, `"This decision is his right to make," Clifford said.`, true},
		{"ends in quote", `She urged her audience “to embrace the whole creation.”`, `She urged her audience “to embrace the whole creation.”`, true},
		{"subscribers are news", "The company now has three million subscribers.", "The company now has three million subscribers.", true},
		{"blog in is not log in", "He wrote on his blog in March that he would resign.", "He wrote on his blog in March that he would resign.", true},
		{"no final stop (headline)", "Worldwide Market for Packaged Software on Linux Projected to Reach $14 Billion", "", false},
		{"question", "How can we explain such horror?", "", false},
		{"trailing ellipsis", `"Environmental protection has become yet another path to peace...`, "", false},
		{"lower-case start (fragment)", "an imperfect ability to transform our knowledge into equations.", "", false},
		{"starts with symbol", "+ 258 - 1 - 497949.", "", false},
		{"navigation", "upload media | post an article | Comment on this article.", "", false},
		{"breadcrumb", "Home > News > UK > Health and more news here.", "", false},
		{"e-mail", "Please write to press@google.com for more.", "", false},
		{"url", "Further information is available at www.immi.gov.au today.", "", false},
		{"boilerplate", "Registering for Boston.com is free and easy!", "", false},
		{"boilerplate inbox", "Daily Headlines E-mail Today's Boston Globe headlines sent to your inbox every morning.", "", false},
		{"shouting", "POSTELECTION STATEMENT ON MOZAMBIQUE ELECTIONS FOR IMMEDIATE RELEASE.", "", false},
		{"title case run", "What's Next 25 August Celebrate Uruguay Independence Day 2 September Maj.", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cleanSentence(tt.in)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("cleanSentence(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestLeadSentencesFallback(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		raw        bool
	}{
		{"clean sentences only", "Home | News | World\nWASHINGTON - The Senate passed the budget bill on Friday night. Click here to subscribe to our daily newsletter today.",
			[]string{"The Senate passed the budget bill on Friday night."}, false},
		{"teaser falls back to raw", "The Senate passed the budget bill on Friday night after a long debate …",
			[]string{"The Senate passed the budget bill on Friday night after a long debate …"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, raw := leadSentences("Budget passes", tt.text, 10)
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || raw != tt.raw {
				t.Errorf("leadSentences = %q, %v; want %q, %v", got, raw, tt.want, tt.raw)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Bank of England's rates", "bank of england rates"},
		{"O'Neill’s men rock 'n' roll", "oneill men rock n roll"},
		{"Sinn Féin, 2024: 3-1!", "sinn féin 2024 3 1"},
		{"'quoted' words’", "quoted words"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := strings.Join(words(tc.in), " "); got != tc.want {
			t.Errorf("words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestTopK checks the selection against a full sort, ties included.
func TestTopK(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 300 {
		v := make(vector, n)
		for i := range v {
			v[i] = entry{uint64(rng.IntN(1 << 20)), float32(rng.IntN(20))} // many equal weights
		}
		v = slices.CompactFunc(func() vector { sortByTerm(v); return v }(), func(a, b entry) bool { return a.term == b.term })
		for _, k := range []int{0, 1, 5, len(v) / 2, len(v) - 1, len(v), len(v) + 3} {
			want := slices.Clone(v)
			slices.SortFunc(want, func(a, b entry) int {
				if heavier(a, b) {
					return -1
				}
				return 1
			})
			if k > 0 && k < len(want) {
				want = want[:k]
			}
			sortByTerm(want)
			got := topK(slices.Clone(v), k)
			if k > 0 && k < len(v) && !slices.Equal(got, want) {
				t.Fatalf("n %d k %d: got %v, want %v", len(v), k, got, want)
			}
		}
	}
}
