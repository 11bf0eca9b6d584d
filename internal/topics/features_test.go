package topics

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, World!", []string{"hello", "world"}},
		{"Iran's Supreme Council", []string{"iran", "supreme", "council"}},
		{"Iraq’s PM didn't go", []string{"iraq", "pm", "didnt", "go"}},
		{"policy-and-legislation", []string{"policy", "and", "legislation"}},
		{"£45m in 2023, 11.1bn", []string{"0", "in", "0", "0", "0"}},
		{"Zürich ÉCOLE", []string{"zürich", "école"}},
		{"'quoted' words'", []string{"quoted", "words"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tokenize(tc.in)); diff != "" {
			t.Errorf("tokenize(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestHashing(t *testing.T) {
	// FNV-1a 64 reference values.
	if got := hashString(""); got != 14695981039346656037 {
		t.Errorf("hashString(\"\") = %d", got)
	}
	if got := hashString("a"); got != 0xaf63dc4c8601ec8c {
		t.Errorf("hashString(\"a\") = %#x", got)
	}
	a, b := hashString("prime"), hashString("minister")
	if bigramBucket(a, b) == bigramBucket(b, a) {
		t.Error("bigram buckets ignore word order")
	}
	for _, w := range []string{"politics", "sport", "x"} {
		if bk := unigramBucket(hashString(w)); bk >= numBuckets {
			t.Errorf("bucket %d out of range", bk)
		}
	}
}

func TestVectorize(t *testing.T) {
	tests := []struct {
		title, text string
		wantEmpty   bool
	}{
		{"", "", true},
		{"the of and", "a an", true},
		{"Election results", "The prime minister won the election.", false},
	}
	for _, tc := range tests {
		x := vectorize(tc.title, tc.text, nil)
		if (len(x) == 0) != tc.wantEmpty {
			t.Errorf("vectorize(%q, %q): %d features", tc.title, tc.text, len(x))
			continue
		}
		norm := 0.0
		for i, f := range x {
			norm += float64(f.val) * float64(f.val)
			if i > 0 && x[i-1].idx >= f.idx {
				t.Errorf("features not sorted or duplicated at %d", i)
			}
		}
		if !tc.wantEmpty && math.Abs(norm-1) > 1e-5 {
			t.Errorf("vectorize(%q): squared norm %v, want 1", tc.title, norm)
		}
	}
	// Title words weigh more than body words.
	x := vectorize("sport", "politics", nil)
	var vs, vp float32
	for _, f := range x {
		switch f.idx {
		case unigramBucket(hashString("sport")):
			vs = f.val
		case unigramBucket(hashString("politics")):
			vp = f.val
		}
	}
	if vs <= vp {
		t.Errorf("title token weight %v <= body token weight %v", vs, vp)
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"elections": "election", "policies": "policy", "talks": "talk",
		"crisis": "crisis", "status": "status", "class": "class", "bus": "bus", "war": "war"} {
		if got := stem(in); got != want {
			t.Errorf("stem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPriorMatcher(t *testing.T) {
	pm := newPriorMatcher([]phrase{
		{Slug: "elections", Text: "general election", Weight: 1},
		{Slug: "elections", Text: "ballot", Weight: 1},
		{Slug: "diplomacy", Text: "foreign minister", Weight: 1},
		{Slug: "diplomacy", Text: "embassy", Weight: 1},
		{Slug: "diplomacy", Text: "g7", Weight: 1},
		{Slug: "labour", Text: "strike", Weight: 1},
		{Slug: "labour", Text: "workers", Weight: 1},
		{Slug: "labour", Text: "wages", Weight: 1},
		{Slug: "nonexistent", Text: "x", Weight: 1},
	})
	ix := func(s string) int { return priorIndex(s) }
	s := pm.score("General elections called", "Ballots were printed; the foreign ministers met at the embassy.")
	if s[ix("elections")] <= 0 || s[ix("diplomacy")] <= 0 {
		t.Errorf("scores %v: want elections and diplomacy evidence", s)
	}
	if s[ix("weather")] != 0 {
		t.Errorf("weather score %v, want 0", s[ix("weather")])
	}
	if e := pm.score("", "nothing relevant here"); e[ix("elections")] != 0 {
		t.Errorf("no cue: elections %v", e[ix("elections")])
	}
	// One cue is not enough (priorMinCues), nor are ambiguous cues alone, and
	// "g7" (normalised to the number token) matches no number.
	if e := pm.score("Foreign minister arrives", "The foreign minister arrived on 12 May with 300 staff."); e[ix("diplomacy")] != 0 {
		t.Errorf("one cue and numbers: diplomacy %v, want 0", e[ix("diplomacy")])
	}
	if e := pm.score("Earthquake strikes", "Rescue workers dug through the rubble."); e[ix("labour")] != 0 {
		t.Errorf("ambiguous cues only: labour %v, want 0", e[ix("labour")])
	}
	if e := pm.score("Workers strike over wages", ""); e[ix("labour")] <= 0 {
		t.Errorf("ambiguous cues with a clear one: labour %v, want > 0", e[ix("labour")])
	}
	// Repeats are capped: 50 mentions score like priorMaxRepeats mentions.
	many, few := "general election ", "general election "
	for i := range 50 {
		many += "ballot "
		if i < priorMaxRepeats {
			few += "ballot "
		}
	}
	a := pm.score("", many+" "+few)[ix("elections")]
	if a >= 1 || a <= 0 {
		t.Errorf("capped score %v", a)
	}
}
