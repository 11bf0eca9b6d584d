package cluster

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vantage-news/vantage/internal/article"
)

const wire = `LONDON (Reuters) - The Bank of England raised interest rates by a quarter point on Thursday, its first increase in more than a decade, saying inflation was running well above its target and the labour market had tightened.
Governor Mark Carney said further rises would be gradual and limited, and that the central bank would watch the effects of Britain's departure from the European Union closely.
Sterling fell sharply after the decision as investors read the statement as a signal that few further increases would follow in the coming years.
Seven of the nine members of the Monetary Policy Committee voted for the rise, while two wanted to keep rates on hold at the record low.`

func TestNearDuplicates(t *testing.T) {
	edited := strings.NewReplacer("on Thursday", "on Thursday afternoon", "sharply", "", "closely", "very closely").Replace(wire)
	other := `The European Central Bank kept its main interest rate unchanged on Thursday and said it would keep buying bonds until inflation picked up. President Mario Draghi said the euro zone economy was growing at its fastest pace in a decade, but wages were still rising too slowly. The euro rose against the dollar after the announcement as markets had expected a firmer signal about the end of stimulus.`
	tests := []struct {
		name string
		doc  Doc
		dup  bool
	}{
		{"exact copy, other outlet", Doc{ID: "b", Title: "Bank of England raises rates", Text: wire, Source: "Guardian"}, true},
		{"edited wire copy", Doc{ID: "c", Title: "UK rates rise for first time in a decade", Text: edited, Source: "Independent"}, true},
		{"same URL with tracking", Doc{ID: "d", Title: "x", Text: "completely different text here", URL: "https://www.reuters.com/boe-rates/?utm_source=feed"}, true},
		{"related but not a copy", Doc{ID: "e", Title: "ECB holds rates", Text: other, Source: "FT"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Options{})
			first := e.Add(Doc{ID: "a", Title: "Bank of England raises interest rates - Reuters", Text: wire, Source: "Reuters", URL: "https://reuters.com/boe-rates"})
			a := e.Add(tc.doc)
			if got := a.DuplicateOf == "a"; got != tc.dup {
				t.Fatalf("DuplicateOf = %q (sim %.2f), want duplicate %v", a.DuplicateOf, a.Similarity, tc.dup)
			}
			if tc.dup && a.Story != first.Story {
				t.Errorf("duplicate joined %s, want the original's story %s", a.Story, first.Story)
			}
			if tc.dup {
				s, _ := e.Story(first.Story)
				if s.ArticleCount != 2 || s.IndependentSourceCount != 1 {
					t.Errorf("ArticleCount=%d IndependentSourceCount=%d, want 2 and 1", s.ArticleCount, s.IndependentSourceCount)
				}
			}
		})
	}
}

func TestCleanHeadline(t *testing.T) {
	tests := []struct{ title, source, want string }{
		{"Bank of England raises rates - Reuters", "", "Bank of England raises rates"},
		{"Storm hits coast | BBC News", "", "Storm hits coast"},
		{"Storm hits coast | World | BBC News", "", "Storm hits coast"},
		{"Labour wins seat — The Guardian", "", "Labour wins seat"},
		{"Labour wins seat – theguardian.com", "", "Labour wins seat"},
		{"Markets rally - live updates as stocks soar", "", "Markets rally - live updates as stocks soar"},
		{"Obama says yes - and no", "", "Obama says yes - and no"},
		{"Quake kills 12 - the local paper", "the local paper", "Quake kills 12"},
		{"Reuters - Top News", "", "Reuters - Top News"},
		{"  spaced   out  title  ", "", "spaced out title"},
	}
	for _, tc := range tests {
		if got := CleanHeadline(tc.title, tc.source); got != tc.want {
			t.Errorf("CleanHeadline(%q, %q) = %q, want %q", tc.title, tc.source, got, tc.want)
		}
	}
}

// syntheticStream is a deterministic stream of title+text docs about n
// events, interleaved.
func syntheticStream(n, perStory int) []Doc {
	var docs []Doc
	for i := range perStory {
		for k := range n {
			w := func(j int) string { return fmt.Sprintf("ev%dword%d", k, j) }
			title := fmt.Sprintf("%s %s %s report %d", w(0), w(1), w(2), i)
			text := fmt.Sprintf("%s %s %s %s officials said. %s %s followed with %s on the scene.", w(0), w(3), w(4), w(1), w(5), w(2), w(6+i%3))
			docs = append(docs, Doc{ID: fmt.Sprintf("d%d-%d", k, i), Title: title, Text: text, Source: fmt.Sprintf("src%d", i%4),
				Published: time.Date(2024, 1, 1, 0, i, k, 0, time.UTC)})
		}
	}
	return docs
}

func TestStableIDs(t *testing.T) {
	docs := syntheticStream(30, 5)
	run := func() []Assignment {
		e := New(Options{})
		var out []Assignment
		for _, d := range docs {
			out = append(out, e.Add(d))
		}
		return out
	}
	a, b := run(), run()
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("two runs differ (-first +second):\n%s", diff)
	}
	stories := map[string]bool{}
	for _, x := range a {
		stories[x.Story] = true
	}
	if len(stories) < 25 || len(stories) > 30 {
		t.Errorf("%d stories, want about 30", len(stories))
	}
	if a[0].Story != StoryID(docs[0].ID) || !a[0].NewStory {
		t.Errorf("first story ID %s, want %s derived from the first article", a[0].Story, StoryID(docs[0].ID))
	}
	// re-adding a known article returns its assignment
	e := New(Options{})
	first := e.Add(docs[0])
	if again := e.Add(docs[0]); again.Story != first.Story || again.NewStory {
		t.Errorf("re-adding: %+v, want story %s", again, first.Story)
	}
}

func TestMergeAndRedirect(t *testing.T) {
	e := New(Options{TitleThreshold: 0.33, MergeRatio: 1.2, BigramWeight: -1})
	// background so that IDF is meaningful
	for i := range 50 {
		e.Add(Doc{ID: fmt.Sprintf("bg%d", i), Title: fmt.Sprintf("background%d filler%d noise%d", i, i, i)})
	}
	a := e.Add(Doc{ID: "a1", Title: "volcano erupts iceland flights"})
	b := e.Add(Doc{ID: "b1", Title: "ash cloud grounds planes europe"})
	if a.Story == b.Story {
		t.Fatalf("setup: the two seeds joined one story")
	}
	e.Add(Doc{ID: "a2", Title: "volcano erupts iceland ash cloud"})
	e.Add(Doc{ID: "b2", Title: "ash cloud grounds flights europe volcano"})
	m := e.Add(Doc{ID: "m", Title: "iceland volcano ash cloud grounds flights europe planes erupts"})
	if len(m.Merged) != 1 {
		t.Fatalf("no merge: %+v", m)
	}
	survivor, gone := a.Story, b.Story
	if m.Story != survivor || m.Merged[0] != gone {
		t.Fatalf("merge kept %s and folded %v, want %s (older) to survive and %s to go", m.Story, m.Merged, survivor, gone)
	}
	if got := e.Resolve(gone); got != survivor {
		t.Errorf("Resolve(%s) = %s, want %s", gone, got, survivor)
	}
	s, ok := e.Story(gone)
	if !ok || s.ID != survivor {
		t.Fatalf("Story(%s) = %v, %v; want the survivor", gone, s, ok)
	}
	want := []string{"a1", "b1", "a2", "b2", "m"}
	if !cmp.Equal(s.Articles, want) {
		t.Errorf("Articles = %v, want %v", s.Articles, want)
	}
	if !slices.Contains(s.Merged, gone) {
		t.Errorf("Merged = %v, want %s", s.Merged, gone)
	}
}

func TestWindowEviction(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 3, d, 12, 0, 0, 0, time.UTC) }
	text := "Firefighters battled a large blaze at a chemical plant near the river for most of the night while residents were told to keep windows closed and stay indoors until further notice."
	e := New(Options{Window: 48 * time.Hour})
	first := e.Add(Doc{ID: "x1", Title: "Chemical plant fire", Text: text, Published: day(1)})
	e.Add(Doc{ID: "y1", Title: "Other news entirely", Text: "Parliament passed the budget after a long debate about taxes and spending on schools.", Published: day(2)})
	if e.Len() != 2 {
		t.Fatalf("Len = %d, want 2", e.Len())
	}
	later := e.Add(Doc{ID: "x2", Title: "Chemical plant fire", Text: text, Published: day(5)})
	if _, ok := e.Story(first.Story); ok {
		t.Errorf("story %s is still live four days later with a 48 h window", first.Story)
	}
	if later.DuplicateOf != "" || later.Story == first.Story || !later.NewStory {
		t.Errorf("after eviction the copy should start a new story: %+v", later)
	}
	if e.Len() != 1 {
		t.Errorf("Len = %d, want 1 (only the new story)", e.Len())
	}

	// without timestamps the window is counted in arrivals
	e = New(Options{WindowArticles: 3})
	a := e.Add(Doc{ID: "p1", Title: "alpha beta gamma"})
	for i := range 4 {
		e.Add(Doc{ID: fmt.Sprintf("q%d", i), Title: fmt.Sprintf("unrelated%d words%d", i, i)})
	}
	if _, ok := e.Story(a.Story); ok {
		t.Errorf("story %s still live after 4 later arrivals with WindowArticles=3", a.Story)
	}
	if e.Len() > 4 {
		t.Errorf("Len = %d, want at most 4", e.Len())
	}
}

func TestStorySummary(t *testing.T) {
	texts := []string{
		"The river burst its banks on Monday night and flooded the old town. Hundreds of residents were moved to emergency shelters in school halls. The mayor said the water level was the highest recorded in fifty years. Rain is expected to continue until Wednesday.",
		"Floods forced hundreds of people from their homes in the old town after the river burst its banks. Emergency shelters opened in school halls across the city. Officials warned that more rain was expected until Wednesday and asked people to avoid the riverside roads.",
		"Rescue teams used boats to reach residents trapped by the floods in the old town. The river reached its highest level in fifty years, the mayor said. Insurance companies expect claims to run into the millions once the water has gone.",
	}
	e := New(Options{})
	var sid string
	byID := map[string]string{}
	for i, tx := range texts {
		id := fmt.Sprintf("f%d", i)
		byID[id] = tx
		a := e.Add(Doc{ID: id, Title: fmt.Sprintf("Floods hit old town as river bursts banks - Outlet%d", i), Text: tx, Source: fmt.Sprintf("Outlet%d", i)})
		if sid == "" {
			sid = a.Story
		} else if a.Story != sid {
			t.Fatalf("article %s started story %s (sim %.2f), want it in %s", id, a.Story, a.Similarity, sid)
		}
	}
	s, _ := e.Story(sid)
	if len(s.SummarySentences) == 0 {
		t.Fatal("empty summary")
	}
	if n := len(strings.Fields(s.Summary)); n > 60 {
		t.Errorf("summary has %d words, want ≤ 60: %q", n, s.Summary)
	}
	for _, ss := range s.SummarySentences {
		if !strings.Contains(byID[ss.ArticleID], ss.Text) {
			t.Errorf("sentence %q not found in its article %s", ss.Text, ss.ArticleID)
		}
	}
	if strings.Contains(s.Headline, "Outlet") || !strings.HasPrefix(s.Headline, "Floods hit old town") {
		t.Errorf("headline %q, want the title without its outlet", s.Headline)
	}
	if s.ArticleCount != 3 || s.IndependentSourceCount != 3 || len(s.Sources) != 3 {
		t.Errorf("counts %d/%d/%d, want 3/3/3", s.ArticleCount, s.IndependentSourceCount, len(s.Sources))
	}
}

func TestEntitiesAndPlaces(t *testing.T) {
	e := New(Options{})
	a := &article.Article{ID: "a1", Title: "Talks resume", Text: "Negotiators met again to discuss the ceasefire terms in the capital.",
		Analysis: &article.Analysis{
			Entities: []article.Entity{{Text: "UN", Canonical: "United Nations"}, {Text: "United Nations", Canonical: "United Nations"}},
			Focus:    []article.Focus{{GeonameID: 292968, Weight: 0.8}},
		}}
	d := DocFromArticle(a)
	if !cmp.Equal(d.Entities, []string{"United Nations"}) || d.Places[292968] != 0.8 {
		t.Fatalf("DocFromArticle: entities %v places %v", d.Entities, d.Places)
	}
	first := e.Add(d)
	s, _ := e.Story(first.Story)
	if s.Entities["United Nations"] != 1 || s.Places[292968] != 0.8 {
		t.Errorf("story entities %v places %v", s.Entities, s.Places)
	}
}

func TestSentences(t *testing.T) {
	got := sentences("Mr. Smith went to Washington D.C. on Monday. He met Sen. Jones. \"It went well,\" he said! Next line\nSecond paragraph here.")
	want := []string{"Mr. Smith went to Washington D.C. on Monday.", "He met Sen. Jones.", "\"It went well,\" he said!", "Next line", "Second paragraph here."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sentences (-want +got):\n%s", diff)
	}
}

func TestMetrics(t *testing.T) {
	gold := []string{"a", "a", "b", "b"}
	p, r, f := BCubed(gold, []string{"x", "x", "y", "y"})
	if p != 1 || r != 1 || f != 1 {
		t.Errorf("perfect B³ = %v %v %v", p, r, f)
	}
	p, r, _ = BCubed(gold, []string{"x", "x", "x", "x"})
	if p != 0.5 || r != 1 {
		t.Errorf("one-cluster B³ P=%v R=%v, want 0.5 1", p, r)
	}
	if g, a := NMI(gold, []string{"1", "1", "2", "2"}); g < 0.999 || a < 0.999 {
		t.Errorf("perfect NMI = %v %v", g, a)
	}
	r1 := RougeScore("the cat sat on the mat", "the cat sat on the mat", false)
	if r1.R1F != 1 || r1.R2F != 1 || r1.RLF != 1 {
		t.Errorf("identical ROUGE = %+v", r1)
	}
	r2 := RougeScore("cats sat", "the cat sat", true)
	if r2.R1R < 0.66 || r2.R1R > 0.67 {
		t.Errorf("stemmed ROUGE-1 recall = %v, want 2/3", r2.R1R)
	}
}

func FuzzAdd(f *testing.F) {
	f.Add("Title - Reuters", "Some text. Another sentence here!\nNew line.", "src")
	f.Add("", "", "")
	f.Add("\xff\xfe", "a.b.c. D. E? \"F\" ' ’s", "x")
	f.Fuzz(func(t *testing.T, title, text, source string) {
		e := New(Options{})
		for i := range 3 {
			a := e.Add(Doc{ID: fmt.Sprint(i), Title: title, Text: text, Source: source, URL: text})
			if a.Story == "" {
				t.Fatalf("empty story for %q", title)
			}
			s, ok := e.Story(a.Story)
			if !ok {
				t.Fatalf("story %s not found", a.Story)
			}
			if n := len(strings.Fields(s.Summary)); n > 61 {
				t.Fatalf("summary of %d words", n)
			}
		}
		_ = CleanHeadline(title, source)
	})
}

func TestNameTokens(t *testing.T) {
	var got []string
	nameTokens("Updated: July 7, 2012, 10: 04 PM ET\nWladimir Klitschko stopped Tony Thompson in Bern. The 36 - year - old beat WLADIMIR RAHMAN.", func(s string) { got = append(got, s) })
	want := []string{"2012", "et", "klitschko", "tony", "thompson", "bern", "36"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("nameTokens = %q, want %q", got, want)
	}
}

// Two reports of the same kind of event (a boxer retains his titles) that
// disagree on the opponent and the venue score lower with the name signal
// than without; a report agreeing on them scores higher.
func TestNamesSeparateSimilarEvents(t *testing.T) {
	base := " retained his heavyweight world titles on Saturday night, stopping the challenger in the sixth round with a right hand; the champion improved his record and the crowd cheered the knockout win."
	docs := []Doc{
		{ID: "a", Title: "Klitschko retains heavyweight titles", Text: "Wladimir Klitschko beat Hasim Rahman in Mannheim and" + base + " Rahman said Mannheim was loud. Klitschko praised Rahman."},
		{ID: "b", Title: "Klitschko retains heavyweight titles", Text: "Wladimir Klitschko beat Tony Thompson in Bern and" + base + " Thompson said Bern was loud. Klitschko praised Thompson."},
		{ID: "c", Title: "Klitschko keeps heavyweight titles", Text: "Wladimir Klitschko beat Hasim Rahman in Mannheim and" + base + " Rahman, beaten in Mannheim, left. Klitschko thanked Rahman."},
	}
	sims := func(o Options) (b, c float64) {
		e := New(o)
		e.Add(docs[0])
		vb, _ := e.vectorize(docs[1].Title, docs[1].Text, false)
		e.names, e.nameCount = e.nameVector(docs[1].Title, docs[1].Text)
		_, b, _, _ = e.bestStories(vb, &docs[1], time.Time{})
		vc, _ := e.vectorize(docs[2].Title, docs[2].Text, false)
		e.names, e.nameCount = e.nameVector(docs[2].Title, docs[2].Text)
		_, c, _, _ = e.bestStories(vc, &docs[2], time.Time{})
		return b, c
	}
	b0, c0 := sims(Options{NameWeight: -1})
	b1, c1 := sims(Options{})
	if b1 >= b0-0.05 || c1 <= c0 {
		t.Errorf("other opponent: %.3f → %.3f with names, same opponent: %.3f → %.3f", b0, b1, c0, c1)
	}
}
