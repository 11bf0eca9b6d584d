package extract

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestExtractFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    Result   // Text is not compared; see paras and absent
		paras   []string // paragraphs expected in Text, in order, each whole
		absent  []string // strings that must not be in Text
		pageURL string
	}{
		{
			file: "jsonld.html",
			want: Result{
				Title:     "Harbour bridge to be rebuilt after decade of debate",
				Byline:    "Jane Doe, John Roe",
				Published: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC),
				Lang:      "en-GB",
				SiteName:  "The Daily Example",
			},
			paras: []string{
				"The city council voted on Tuesday to rebuild the old harbour bridge,",
				"Engineers expect construction to begin next spring and to last about three years. During that time",
				"Opponents of the plan, who had argued for a tunnel instead,",
			},
			absent:  []string{"Advertisement", "Facebook", "Photo:", "Ferry prices", "All rights reserved", "Home", "after decade of debate"},
			pageURL: "https://example.com/news/bridge",
		},
		{
			file: "opengraph.html",
			want: Result{
				Title:     "Simplification administrative : le projet de loi présenté",
				Byline:    "Marie Exemple",
				Published: time.Date(2023, 6, 14, 8, 15, 0, 0, time.UTC),
				Lang:      "fr-FR",
				SiteName:  "Le Journal Exemple",
			},
			paras: []string{
				"Le gouvernement a présenté mercredi un projet de loi",
				"Les syndicats ont accueilli la mesure avec prudence.",
				"Le projet doit être examiné par l’Assemblée nationale",
			},
			absent: []string{"Partager sur Facebook"},
		},
		{
			file:  "latin1.html",
			want:  Result{Title: "Fernwärme wird billiger", Lang: "de"},
			paras: []string{"Die Stadtwerke haben am Montag angekündigt", "Verbraucherschützer begrüßten", "Die neuen Tarife sollen"},
		},
		{
			file:  "cp1251.html",
			want:  Result{Title: "Новый автобус в аэропорт", Lang: "ru"},
			paras: []string{"Городские власти в понедельник", "По словам представителей", "Жители окраинных районов"},
		},
		{
			// The whole story sits in a container whose id says "share": it must survive.
			file:   "sharewrapped.html",
			want:   Result{Title: "Seven things hotel owners won't tell you", Lang: "en"},
			paras:  []string{"Hotel rooms are cleaned every day", "Remote controls", "Minibar prices", "Finally, the rate"},
			absent: []string{"Share on"},
		},
		{
			file: "malformed.html",
			want: Result{Title: "Storm closes schools"},
			paras: []string{
				"Schools across the region stayed closed on Thursday",
				"Forecasters expect the storm to ease by Friday evening",
				"Power cuts affected about twelve thousand homes",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var u *url.URL
			if tt.pageURL != "" {
				u, _ = url.Parse(tt.pageURL)
			}
			got, err := Extract(bytes.NewReader(src), u, 0)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if diff := cmp.Diff(tt.want, *got, cmpopts.IgnoreFields(Result{}, "Text"), cmpopts.EquateApproxTime(0)); diff != "" {
				t.Errorf("metadata mismatch (-want +got):\n%s", diff)
			}
			paras := strings.Split(got.Text, "\n\n")
			next := 0
			for _, want := range tt.paras {
				found := false
				for ; next < len(paras); next++ {
					if strings.HasPrefix(paras[next], want) {
						found = true
						next++
						break
					}
				}
				if !found {
					t.Errorf("no paragraph (in order) starting %q in text:\n%s", want, got.Text)
				}
			}
			for _, p := range paras {
				if p != strings.Join(strings.Fields(p), " ") {
					t.Errorf("paragraph not whitespace-normalised: %q", p)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(got.Text, s) {
					t.Errorf("text contains %q:\n%s", s, got.Text)
				}
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i * 7 % 256)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"blank", []byte(" \n\t "), ErrEmpty},
		{"binary", junk, ErrNotHTML},
		{"no text", []byte("<html><head><title>x</title></head><body><img src=a.png></body></html>"), ErrNoContent},
		{"script only", []byte("<script>var a = 1;</script>"), ErrNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Extract(bytes.NewReader(tt.in), nil, 0)
			if !errors.Is(err, tt.want) {
				t.Errorf("Extract = %+v, %v; want error %v", res, err, tt.want)
			}
		})
	}
}

func TestExtractMaxBytes(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "jsonld.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Cut inside the second paragraph: the third must not appear.
	cut := bytes.Index(src, []byte("begin next spring"))
	if cut < 0 {
		t.Fatal("fixture changed")
	}
	cut += 20
	res, err := Extract(bytes.NewReader(src), nil, int64(cut))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(res.Text, "Opponents") {
		t.Errorf("text goes beyond maxBytes: %q", res.Text)
	}
}

func TestPlainTextPage(t *testing.T) {
	// A page that is all text, no markup: the whole text is the article.
	text := strings.Repeat("This is a plain sentence about the weather in the valley today. ", 10)
	res, err := Extract(strings.NewReader(text), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != strings.TrimSpace(text) {
		t.Errorf("Text = %q", res.Text)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-05T09:30:00+01:00", time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC)},
		{"2024-03-05T09:30:00.123Z", time.Date(2024, 3, 5, 9, 30, 0, 123e6, time.UTC)},
		{"2021-11-01T10:52:50+0100", time.Date(2021, 11, 1, 9, 52, 50, 0, time.UTC)},
		{"2019-04-28 06:01:07", time.Date(2019, 4, 28, 6, 1, 7, 0, time.UTC)},
		{"2017-11-03 03:01:00.000000", time.Date(2017, 11, 3, 3, 1, 0, 0, time.UTC)},
		{"2015-04-30", time.Date(2015, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"Tue, 19 Nov 2019 10:48:00 GMT", time.Date(2019, 11, 19, 10, 48, 0, 0, time.UTC)},
		{"1574160480", time.Date(2019, 11, 19, 10, 48, 0, 0, time.UTC)},
		{"yesterday", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		if got := parseDate(tt.in); !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNormaliseLang(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "EN-us": "en-US", "fr_FR": "fr-FR", " de ": "de", "zh-hant-tw": "zh-Hant-TW",
		"en-US,en;q=0.9": "en-US", "": "", "english": "", "e": "",
	} {
		if got := normaliseLang(in); got != want {
			t.Errorf("normaliseLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShingleMatch(t *testing.T) {
	tests := []struct {
		truth, pred       string
		tp, fp, fn        float64
		precision, recall float64
	}{
		{"a b c d e", "a b c d e", 1, 0, 0, 1, 1},
		{"a b c d e", "", 0, 0, 1, 0, 0},
		{"", "a b c d e", 0, 1, 0, 0, 0},
		{"", "", 0, 0, 0, 1, 1},
		// truth shingles: abcd bcde; pred: abcd bcdx -> TP 1, FP 1, FN 1.
		{"a b c d e", "a, b. c d x", 1.0 / 3, 1.0 / 3, 1.0 / 3, 0.5, 0.5},
		// fewer than four tokens: one short shingle each.
		{"hello world", "hello world", 1, 0, 0, 1, 1},
		// counts are a multiset.
		{"a b c d a b c d", "a b c d", 0.2, 0, 0.8, 1, 0.2},
	}
	for _, tt := range tests {
		tp, fp, fn := shingleMatch(tt.truth, tt.pred)
		p, r := pagePrecision(tp, fp, fn), pageRecall(tp, fp, fn)
		opt := cmpopts.EquateApprox(0, 1e-9)
		if !cmp.Equal([]float64{tp, fp, fn, p, r}, []float64{tt.tp, tt.fp, tt.fn, tt.precision, tt.recall}, opt) {
			t.Errorf("shingleMatch(%q, %q) = tp %v fp %v fn %v p %v r %v; want %v %v %v %v %v",
				tt.truth, tt.pred, tp, fp, fn, p, r, tt.tp, tt.fp, tt.fn, tt.precision, tt.recall)
		}
	}
}

func TestBenchmarkTokens(t *testing.T) {
	got := benchmarkTokens("Don't stop—it's 3.14 snake_case naïve 東京 नमस्ते")
	want := []string{"Don", "t", "stop", "it", "s", "3", "14", "snake_case", "naïve", "東京", "नमस", "त"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("benchmarkTokens (-want +got):\n%s", diff)
	}
}

func TestCleanByline(t *testing.T) {
	for in, want := range map[string]string{
		"By Jane Doe":                    "Jane Doe",
		"  by   Jane\n Doe | ":           "Jane Doe",
		"Lucas Nolan22 Dec 2016651":      "Lucas Nolan",
		"GILLIAN MOHNEY March 11, 2015":  "GILLIAN MOHNEY",
		"Jane Doe Updated 5 minutes ago": "Jane Doe",
		"Por María José Fernández":       "María José Fernández",
		strings.Repeat("very long ", 30): "",
	} {
		if got := cleanByline(in); got != want {
			t.Errorf("cleanByline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanParagraphs(t *testing.T) {
	in := []string{
		"Advertisement",
		"Story continues below advertisement",
		"The minister said the plan would be published next week, after a final round of talks with the unions.",
		"Share this article",
		"Facebook Twitter Email",
		"The harbour at dawn. (AP Photo/Jane Doe)",
		"Sign up for our morning newsletter and get the news delivered to your inbox.",
		"Related: a long paragraph that starts like a related link but goes on and on, well past the twelve words a boilerplate line may have, so it stays.",
		"The minister said the plan would be published next week, after a final round of talks with the unions.",
		"Read more",
	}
	want := []string{
		"The minister said the plan would be published next week, after a final round of talks with the unions.",
		"Related: a long paragraph that starts like a related link but goes on and on, well past the twelve words a boilerplate line may have, so it stays.",
	}
	if diff := cmp.Diff(want, cleanParagraphs(in)); diff != "" {
		t.Errorf("cleanParagraphs (-want +got):\n%s", diff)
	}
}
