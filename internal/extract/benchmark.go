package extract

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// shingleSize is the n of the token n-grams the article-extraction benchmark compares.
const shingleSize = 4

// BenchmarkReport holds the scores of Extract on the Zyte (scrapinghub) article-extraction
// benchmark. The figures follow the benchmark's own definition: per page, the true and the
// extracted articleBody are split into word tokens (runs of Unicode letters, digits and
// underscores) and then into 4-token shingles (a multiset); TP, FP and FN count shared, extra
// and missing shingles and are normalised by their sum. Precision and recall are averaged over
// the pages where they are defined, F1 is their harmonic mean, and accuracy is the share of
// pages whose token sequence matches the ground truth exactly.
type BenchmarkReport struct {
	Pages     int         // pages scored
	Failed    int         // pages where Extract returned an error (scored as empty text)
	Precision float64     // macro-averaged shingle precision
	Recall    float64     // macro-averaged shingle recall
	F1        float64     // 2PR/(P+R) of the two averages
	Accuracy  float64     // share of pages with an exactly matching token sequence
	Scores    []PageScore // per page, sorted by ID
}

// PageScore is the score of one benchmark page.
type PageScore struct {
	ID        string
	URL       string
	TP        float64 // normalised: TP+FP+FN = 1 unless both texts are empty
	FP        float64
	FN        float64
	Precision float64
	Recall    float64
	Exact     bool
	Err       error
}

// F1 returns the harmonic mean of the page's precision and recall.
func (s PageScore) F1() float64 {
	if s.Precision+s.Recall == 0 {
		return 0
	}
	return 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
}

// String formats the report as a small table.
func (r *BenchmarkReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %9s %9s %9s %9s %6s %6s\n", "extractor", "F1", "precision", "recall", "accuracy", "pages", "failed")
	fmt.Fprintf(&b, "%-10s %9.3f %9.3f %9.3f %9.3f %6d %6d\n", "vantage", r.F1, r.Precision, r.Recall, r.Accuracy, r.Pages, r.Failed)
	return b.String()
}

// Worst returns the n pages with the lowest F1, worst first.
func (r *BenchmarkReport) Worst(n int) []PageScore {
	s := slices.Clone(r.Scores)
	slices.SortStableFunc(s, func(a, b PageScore) int {
		switch fa, fb := a.F1(), b.F1(); {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	})
	return s[:min(n, len(s))]
}

// benchmarkTruth is one entry of ground-truth.json.
type benchmarkTruth struct {
	ArticleBody string `json:"articleBody"`
	URL         string `json:"url"`
}

// ScoreBenchmark runs Extract on every page of the benchmark in dir (which holds
// ground-truth.json and html/<id>.html.gz) and scores the extracted text.
func ScoreBenchmark(ctx context.Context, dir string) (*BenchmarkReport, error) {
	return scoreBenchmark(ctx, dir, 1)
}

// scoreBenchmark scores every step-th page (in ID order); tests use step > 1 to stay fast
// under the race detector.
func scoreBenchmark(ctx context.Context, dir string, step int) (*BenchmarkReport, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, fmt.Errorf("extract: benchmark: %w", err)
	}
	var truth map[string]benchmarkTruth
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("extract: benchmark: ground truth: %w", err)
	}
	if len(truth) == 0 {
		return nil, errors.New("extract: benchmark: empty ground truth")
	}
	ids := make([]string, 0, len(truth))
	for id := range truth {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if step > 1 {
		var some []string
		for i := 0; i < len(ids); i += step {
			some = append(some, ids[i])
		}
		ids = some
	}

	scores := make([]PageScore, len(ids))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				scores[i] = scorePage(dir, ids[i], truth[ids[i]])
			}
		})
	}
	var cancelled error
feed:
	for i := range ids {
		select {
		case jobs <- i:
		case <-ctx.Done():
			cancelled = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if cancelled != nil {
		return nil, fmt.Errorf("extract: benchmark: %w", cancelled)
	}
	for _, s := range scores {
		if errors.Is(s.Err, errBenchmarkInput) {
			return nil, s.Err
		}
	}
	return summarise(scores), nil
}

// errBenchmarkInput marks a page the scorer could not read, as opposed to one Extract failed on.
var errBenchmarkInput = errors.New("extract: benchmark input")

// scorePage extracts and scores one benchmark page.
func scorePage(dir, id string, truth benchmarkTruth) PageScore {
	s := PageScore{ID: id, URL: truth.URL}
	f, err := os.Open(filepath.Join(dir, "html", id+".html.gz"))
	if err != nil {
		s.Err = fmt.Errorf("%w: %v", errBenchmarkInput, err)
		return s
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		s.Err = fmt.Errorf("%w: %s: %v", errBenchmarkInput, id, err)
		return s
	}
	page, err := io.ReadAll(zr)
	if err != nil {
		s.Err = fmt.Errorf("%w: %s: %v", errBenchmarkInput, id, err)
		return s
	}
	u, _ := url.Parse(truth.URL) // a nil URL is fine for Extract
	var text string
	res, err := Extract(bytes.NewReader(page), u, 0)
	if err != nil {
		s.Err = err
	} else {
		text = res.Text
	}
	s.TP, s.FP, s.FN = shingleMatch(truth.ArticleBody, text)
	s.Precision, s.Recall = pagePrecision(s.TP, s.FP, s.FN), pageRecall(s.TP, s.FP, s.FN)
	s.Exact = slices.Equal(benchmarkTokens(truth.ArticleBody), benchmarkTokens(text))
	return s
}

// summarise averages page scores the way the benchmark does: precision over pages with
// something extracted (TP+FP > 0), recall over pages with something to find (TP+FN > 0).
func summarise(scores []PageScore) *BenchmarkReport {
	r := &BenchmarkReport{Pages: len(scores), Scores: scores}
	var np, nr, exact int
	for _, s := range scores {
		if s.Err != nil {
			r.Failed++
		}
		if s.TP+s.FP > 0 {
			r.Precision += s.Precision
			np++
		}
		if s.TP+s.FN > 0 {
			r.Recall += s.Recall
			nr++
		}
		if s.Exact {
			exact++
		}
	}
	if np > 0 {
		r.Precision /= float64(np)
	}
	if nr > 0 {
		r.Recall /= float64(nr)
	}
	if r.Precision+r.Recall > 0 {
		r.F1 = 2 * r.Precision * r.Recall / (r.Precision + r.Recall)
	}
	if r.Pages > 0 {
		r.Accuracy = float64(exact) / float64(r.Pages)
	}
	return r
}

func pagePrecision(tp, fp, fn float64) float64 {
	switch {
	case fp == 0 && fn == 0:
		return 1
	case tp == 0 && fp == 0:
		return 0
	}
	return tp / (tp + fp)
}

func pageRecall(tp, fp, fn float64) float64 {
	switch {
	case fp == 0 && fn == 0:
		return 1
	case tp == 0 && fn == 0:
		return 0
	}
	return tp / (tp + fn)
}

// shingleMatch counts shared (TP), extra (FP) and missing (FN) shingles of pred against
// truth, normalised so that they sum to 1 (unless both are empty).
func shingleMatch(truth, pred string) (tp, fp, fn float64) {
	want, got := shingles(truth), shingles(pred)
	for k, w := range want {
		g := got[k]
		tp += float64(min(w, g))
		fn += float64(max(0, w-g))
	}
	for k, g := range got {
		fp += float64(max(0, g-want[k]))
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	return tp, fp, fn
}

// shingles counts the shingleSize-token n-grams of text. A text with fewer tokens is one
// shorter shingle; an empty text has none.
func shingles(text string) map[string]int {
	toks := benchmarkTokens(text)
	m := make(map[string]int)
	if len(toks) == 0 {
		return m
	}
	for i := 0; i < max(1, len(toks)-shingleSize+1); i++ {
		m[strings.Join(toks[i:min(i+shingleSize, len(toks))], "\x00")]++
	}
	return m
}

// benchmarkTokens splits text into runs of word characters: Unicode letters, numbers and '_'
// (combining marks are separators, as in the benchmark's tokenizer).
func benchmarkTokens(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}
