package entities

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

var loadGazetteer = sync.OnceValues(gazetteer.Load)

func testExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	g, err := loadGazetteer()
	if err != nil {
		tb.Fatal(err)
	}
	return New(g)
}

// ent is the part of an entity a rule test checks.
type ent struct {
	Text, Type, Canonical, Role, Country string
}

func brief(es []article.Entity) []ent {
	out := make([]ent, 0, len(es))
	for _, e := range es {
		out = append(out, ent{e.Text, e.Type, e.Canonical, e.Role, e.Country})
	}
	return out
}

func TestRules(t *testing.T) {
	x := testExtractor(t)
	tests := []struct {
		name, text string
		want       []ent
	}{
		{"role and demonym", "He met Iraqi President Abdul Latif Rashid on Monday.",
			[]ent{{"Abdul Latif Rashid", "PER", "Abdul Latif Rashid", "President", "IQ"}}},
		{"possessive country and multiword role", "Talks with Iraq's Prime Minister Mohammed Shia al-Sudani went well.",
			[]ent{{"Mohammed Shia al-Sudani", "PER", "Mohammed Shia al-Sudani", "Prime Minister", "IQ"}}},
		{"role without country", "He saw National Security Adviser Qasim al-Araji there.",
			[]ent{{"Qasim al-Araji", "PER", "Qasim al-Araji", "National Security Adviser", ""}}},
		{"organisation inside role", "Iran's Supreme National Security Council Secretary Ali Larijani arrived.",
			[]ent{
				{"Supreme National Security Council", "ORG", "Supreme National Security Council", "", "IR"},
				{"Ali Larijani", "PER", "Ali Larijani", "Supreme National Security Council Secretary", "IR"},
			}},
		{"secretary of", "It was signed by Secretary of State Condoleezza Rice yesterday.",
			[]ent{{"Condoleezza Rice", "PER", "Condoleezza Rice", "Secretary of State", ""}}},
		{"honorific", "Yesterday Mr. John Smith resigned.",
			[]ent{{"John Smith", "PER", "John Smith", "", ""}}},
		{"organisation heads", "Shares of Acme Widgets Ltd fell after the Bank of England and the University of Texas spoke.",
			[]ent{
				{"Acme Widgets Ltd", "ORG", "Acme Widgets Ltd", "", ""},
				{"Bank of England", "ORG", "Bank of England", "", ""},
				{"University of Texas", "ORG", "University of Texas", "", ""},
			}},
		{"demonym organisation", "The Iraqi Parliament voted.",
			[]ent{{"Iraqi Parliament", "ORG", "Iraqi Parliament", "", "IQ"}}},
		{"defined acronym", "The Supreme National Security Council (SNSC) met. Later the SNSC said no.",
			[]ent{
				{"Supreme National Security Council", "ORG", "Supreme National Security Council", "", ""},
				{"SNSC", "ORG", "Supreme National Security Council", "", ""},
				{"SNSC", "ORG", "Supreme National Security Council", "", ""},
			}},
		{"well-known acronym", "NATO and the EU disagreed.",
			[]ent{{"NATO", "ORG", "NATO", "", ""}, {"EU", "ORG", "EU", "", ""}}},
		{"surname coreference", "Prime Minister Mohammed Shia al-Sudani spoke. Later al-Sudani left and Sudani returned.",
			[]ent{
				{"Mohammed Shia al-Sudani", "PER", "Mohammed Shia al-Sudani", "Prime Minister", ""},
				{"al-Sudani", "PER", "Mohammed Shia al-Sudani", "Prime Minister", ""},
				{"Sudani", "PER", "Mohammed Shia al-Sudani", "Prime Minister", ""},
			}},
		{"nominal coreference", "The Supreme National Security Council met. A statement from the council followed.",
			[]ent{
				{"Supreme National Security Council", "ORG", "Supreme National Security Council", "", ""},
				{"council", "ORG", "Supreme National Security Council", "", ""},
			}},
		{"role after comma", "Talks were led by Hoshyar Zebari, the foreign minister, in Baghdad.",
			[]ent{{"Hoshyar Zebari", "PER", "Hoshyar Zebari", "foreign minister", ""}}},
		{"lower-case role before", "Iran's foreign minister Abbas Araghchi spoke.",
			[]ent{{"Abbas Araghchi", "PER", "Abbas Araghchi", "foreign minister", "IR"}}},
		{"particles", "Works by Ludwig van Beethoven and Osama bin Laden were cited.",
			[]ent{
				{"Ludwig van Beethoven", "PER", "Ludwig van Beethoven", "", ""},
				{"Osama bin Laden", "PER", "Osama bin Laden", "", ""},
			}},
		{"places are not entities", "In Baghdad, Saudi Arabia and the United States met in Tehran.", []ent{}},
		{"sentence-initial words and calendar", "However, on Monday in March nothing happened. But The end came.", []ent{}},
		{"speech verb", "The weather was bad, Wilkins said.",
			[]ent{{"Wilkins", "PER", "Wilkins", "", ""}}},
		{"named after a country", "A warning from Environment Canada came.",
			[]ent{{"Environment Canada", "ORG", "Environment Canada", "", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := brief(x.Extract("", tt.text))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Extract(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestNilGazetteer(t *testing.T) {
	got := brief(New(nil).Extract("", "Iraqi President Abdul Latif Rashid met the Bank of England."))
	// Without a gazetteer "Iraqi" is not known as a demonym, so it stays in the role.
	want := []ent{
		{"Abdul Latif Rashid", "PER", "Abdul Latif Rashid", "Iraqi President", ""},
		{"Bank of England", "ORG", "Bank of England", "", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestCodePointOffsets(t *testing.T) {
	x := testExtractor(t)
	for _, prefix := range []string{"", "Café déjà vu — ", "🎉🎉 Überraschung! ", "日本語のテキスト。 "} {
		text := prefix + "Yesterday Mr. John Smith met NATO officials."
		runes := []rune(text)
		got := x.Extract("", text)
		if len(got) != 2 {
			t.Fatalf("%q: got %d entities, want 2: %+v", text, len(got), got)
		}
		for _, e := range got {
			if s := string(runes[e.Start:e.End]); s != e.Text {
				t.Errorf("%q: runes[%d:%d] = %q, want %q", text, e.Start, e.End, s, e.Text)
			}
		}
		if off := utf8.RuneCountInString(prefix) + len("Yesterday Mr. "); got[0].Start != off {
			t.Errorf("%q: John Smith starts at %d, want %d", text, got[0].Start, off)
		}
	}
}

func TestIranIraqExample(t *testing.T) {
	path := sharedtest.Path(t, "examples/iran-iraq-border-pact.txt")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	title, text, _ := strings.Cut(string(b), "\n")
	got := testExtractor(t).Extract(title, text)
	find := func(canonical, typ string) []article.Entity {
		var out []article.Entity
		for _, e := range got {
			if e.Canonical == canonical && e.Type == typ {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			t.Errorf("%s %q not found in %+v", typ, canonical, got)
		}
		return out
	}
	check := func(canonical, roleHas, country string) []article.Entity {
		ms := find(canonical, Person)
		for _, e := range ms {
			if !strings.Contains(e.Role, roleHas) || e.Country != country {
				t.Errorf("%q: role %q country %q, want role containing %q and country %q", e.Text, e.Role, e.Country, roleHas, country)
			}
		}
		return ms
	}
	check("Ali Larijani", "Secretary", "IR")
	check("Abdul Latif Rashid", "President", "IQ")
	sudani := check("Mohammed Shia al-Sudani", "Prime Minister", "IQ")
	if !slicesHasText(sudani, "Sudani") {
		t.Errorf("later \"Sudani\" not linked to Mohammed Shia al-Sudani: %+v", sudani)
	}
	check("Qasim al-Araji", "National Security Adviser", "")
	find("Supreme National Security Council", Organisation)
	for _, e := range got {
		if e.Text == "Iran" || e.Text == "Iraq" || e.Text == "Baghdad" || e.Text == "Tehran" {
			t.Errorf("place emitted as entity: %+v", e)
		}
	}
}

func slicesHasText(es []article.Entity, text string) bool {
	for _, e := range es {
		if e.Text == text {
			return true
		}
	}
	return false
}

func TestAnalyser(t *testing.T) {
	an := Analyser{X: testExtractor(t)}
	if an.Name() != "entities" {
		t.Errorf("Name() = %q", an.Name())
	}
	a := &article.Article{Title: "t", Text: "NATO met."}
	if err := an.Analyse(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if a.Analysis == nil || len(a.Analysis.Entities) != 1 || a.Analysis.Entities[0].Text != "NATO" {
		t.Errorf("Analysis = %+v", a.Analysis)
	}
}

func checkSpans(t *testing.T, text string, es []article.Entity) {
	t.Helper()
	runes := []rune(text)
	prevEnd := 0
	for _, e := range es {
		if e.Start < prevEnd || e.End <= e.Start || e.End > len(runes) {
			t.Fatalf("bad span %d-%d (prev end %d, len %d) in %q", e.Start, e.End, prevEnd, len(runes), text)
		}
		if string(runes[e.Start:e.End]) != e.Text {
			t.Fatalf("span %d-%d is %q, Text %q", e.Start, e.End, string(runes[e.Start:e.End]), e.Text)
		}
		if e.Type != Person && e.Type != Organisation {
			t.Fatalf("type %q", e.Type)
		}
		prevEnd = e.End
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Iraqi President Abdul Latif Rashid met the Supreme National Security Council (SNSC).",
		"Mr. A. B. said U.S. Secretary of State X of Y's Z-al-Q and the council.",
		"🎉 Café Bank of England & Co Ltd. (BOE) – al- bin van de",
		"'s 's ( ) Mr. . . Prime Minister", "A.B.C.D. Inc.", "X, the foreign minister of",
	} {
		f.Add("", s)
	}
	x := New(nil)
	f.Fuzz(func(t *testing.T, title, text string) {
		checkSpans(t, text, x.Extract(title, text))
	})
}

// corpus reads wikinews.jsonl (title and text of every record).
func corpus(tb testing.TB) [][2]string {
	path := sharedtest.Path(tb, "data/demo-corpus/wikinews.jsonl")
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var r struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, [2]string{r.Title, r.Text})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return docs
}

// TestCorpusSpans runs the whole demo corpus through the extractor and checks
// every span.
func TestCorpusSpans(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	x := testExtractor(t)
	for _, d := range corpus(t) {
		checkSpans(t, d[1], x.Extract(d[0], d[1]))
	}
}

func BenchmarkExtract(b *testing.B) {
	docs := corpus(b)
	x := testExtractor(b)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		d := docs[n%len(docs)]
		x.Extract(d[0], d[1])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}
