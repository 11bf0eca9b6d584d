package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

type tagger struct{ fail string }

func (tagger) Name() string { return "tagger" }

func (t tagger) Analyse(_ context.Context, a *article.Article) error {
	if t.fail != "" && strings.Contains(a.Title, t.fail) {
		return errors.New("cannot analyse")
	}
	if a.Analysis == nil {
		a.Analysis = &article.Analysis{}
	}
	a.Analysis.Topics = append(a.Analysis.Topics, article.Topic{Slug: "test", Score: 1})
	return nil
}

func records(rs ...ingest.Record) func(func(ingest.Record) bool) {
	return func(yield func(ingest.Record) bool) {
		for _, r := range rs {
			if !yield(r) {
				return
			}
		}
	}
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var progress int
	p := &Pipeline{Store: db, Analysers: []Analyser{tagger{fail: "poison"}}, BatchSize: 2, Progress: func(Summary) { progress++ }}
	sum, err := p.Run(ctx, records(
		ingest.Record{Article: article.Article{Title: "One", Text: "first", URL: "https://x.example/1"}, Where: "a:1"},
		ingest.Record{Article: article.Article{Title: "Two", Text: "second"}, Where: "a:2"},
		ingest.Record{Err: errors.New("bad"), Where: "a:3"},
		ingest.Record{Article: article.Article{Title: " ", Text: ""}, Where: "a:4"},
		ingest.Record{Article: article.Article{Title: "One copy", Text: "x", URL: "https://x.example/1#frag"}, Where: "a:5"},
		ingest.Record{Article: article.Article{Title: "poison pill", Text: "x"}, Where: "a:6"},
	))
	if err != nil {
		t.Fatal(err)
	}
	want := "read 6, new 2, duplicate 1, rejected 3 (analysis failed (tagger): 1, empty article: 1, error: 1)"
	if sum.String() != want {
		t.Errorf("summary = %q, want %q", sum.String(), want)
	}
	if len(sum.Errors) != 3 || !strings.HasPrefix(sum.Errors[0], "a:3:") {
		t.Errorf("errors = %q", sum.Errors)
	}
	if progress != 2 {
		t.Errorf("progress called %d times, want 2 (one per batch)", progress)
	}
	page, err := db.Articles(ctx, store.ArticleQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range page.Articles {
		if a.Analysis == nil || len(a.Analysis.Topics) != 1 {
			t.Errorf("article %s stored without analysis", a.ID)
		}
	}
}

func BenchmarkRun(b *testing.B) {
	ctx := context.Background()
	var recs []ingest.Record
	for i := range 2000 {
		recs = append(recs, ingest.Record{Article: article.Article{
			URL:   fmt.Sprintf("https://bench.example/%d", i),
			Title: fmt.Sprintf("Report %d on the talks in Baghdad", i),
			Text:  strings.Repeat(fmt.Sprintf("Sentence %d about the border agreement between Iran and Iraq. ", i), 30),
		}})
	}
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p := &Pipeline{Store: db}
		if _, err := p.Run(ctx, records(recs...)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
