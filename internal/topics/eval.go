package topics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// EvalOptions tunes Evaluate.
type EvalOptions struct {
	// DataDir holds the labelled training sets. When the corpus is one of them
	// (same file name), Evaluate runs k-fold cross-validation: each fold is
	// scored by a model trained on the other folds plus every other set in
	// DataDir, and the model passed to Evaluate is not used. Default: the
	// corpus's directory.
	DataDir string
	Folds   int // folds for cross-validation (default 5)
	// MaxFolds, if > 0, scores only the first MaxFolds folds (faster; used by tests).
	MaxFolds int
	Train    TrainOptions
	// NoBaseline skips the TF-IDF + linear SVM baseline.
	NoBaseline bool

	onlySame bool // experiments: train on the evaluated set only
}

// EvalReport holds the figures for one labelled corpus.
type EvalReport struct {
	Corpus   string
	Dataset  string
	Method   string   // "5-fold cross-validation" or "trained model"
	Labels   []string // gold slugs, taxonomy order
	N        int      // scored examples
	Skipped  int      // examples with an unmapped label
	Ours     Scorecard
	Baseline *Scorecard
	Duration time.Duration
}

// Scorecard is the result of one classifier on one corpus.
type Scorecard struct {
	Name      string
	Accuracy  float64
	MacroF1   float64
	F1        map[string]float64
	Confusion map[string]map[string]int // gold → predicted → count
}

// Evaluate scores single-label predictions on a labelled corpus: for each
// example the prediction is the highest-scoring slug among the slugs its data
// set covers, compared with the mapped gold slug. A TF-IDF + linear SVM
// baseline trained on the same training part runs beside it. Examples whose
// label maps to no slug are skipped.
func Evaluate(ctx context.Context, corpusPath string, m *Model, opts EvalOptions) (*EvalReport, error) {
	start := time.Now()
	dataset := datasetOf(corpusPath)
	if dataset == "" {
		return nil, fmt.Errorf("topics: eval: %s: unknown data set (want a bbc*, agnews* or huffpost* file)", corpusPath)
	}
	all, err := readDataset(corpusPath, dataset)
	if err != nil {
		return nil, err
	}
	if opts.DataDir == "" {
		opts.DataDir = filepath.Dir(corpusPath)
	}
	if opts.Folds <= 1 {
		opts.Folds = 5
	}
	rep := &EvalReport{Corpus: corpusPath, Dataset: dataset, Labels: coveredSlugs(dataset)}
	var test []example
	for _, e := range all {
		if e.slug == "" {
			rep.Skipped++
			continue
		}
		test = append(test, e)
	}

	inTraining := false
	for _, d := range datasetFiles {
		if d.name == dataset && sameFile(filepath.Join(opts.DataDir, d.file), corpusPath) {
			inTraining = true
		}
	}
	gold := make([]string, 0, len(test))
	var ours, base []string
	if !inTraining {
		if m == nil {
			return nil, errors.New("topics: eval: no model given for a corpus outside the training data")
		}
		rep.Method = "trained model (corpus not in training data)"
		for _, e := range test {
			gold = append(gold, e.slug)
			ours = append(ours, argmaxSlug(m.datasetScores(dataset, e.title, e.text), rep.Labels))
		}
		if !opts.NoBaseline {
			sets, err := readAll(opts.DataDir)
			if err == nil && len(sets[dataset]) > 0 {
				bl := trainBaseline(sets[dataset], opts.Train.Seed)
				for _, e := range test {
					base = append(base, bl.predict(e.title, e.text))
				}
			}
		}
	} else {
		rep.Method = fmt.Sprintf("%d-fold cross-validation (fold = index mod %d)", opts.Folds, opts.Folds)
		sets, err := readAll(opts.DataDir)
		if err != nil {
			return nil, err
		}
		iptc, err := readIPTCPhrases(opts.DataDir)
		if err != nil {
			return nil, err
		}
		folds := opts.Folds
		if opts.MaxFolds > 0 && opts.MaxFolds < folds {
			folds = opts.MaxFolds
			rep.Method += fmt.Sprintf(", first %d folds scored", folds)
		}
		for k := 0; k < folds; k++ {
			var train, held []example
			for _, d := range datasetFiles {
				if d.name != dataset && !opts.onlySame {
					train = append(train, sets[d.name]...)
				}
			}
			var own []example
			for i, e := range test {
				if i%opts.Folds == k {
					held = append(held, e)
				} else {
					own = append(own, e)
				}
			}
			train = append(own, train...)
			fm, _, err := trainExamples(ctx, train, iptc, opts.Train)
			if err != nil {
				return nil, err
			}
			var bl *baseline
			if !opts.NoBaseline {
				bl = trainBaseline(own, opts.Train.Seed)
			}
			for _, e := range held {
				gold = append(gold, e.slug)
				ours = append(ours, argmaxSlug(fm.datasetScores(dataset, e.title, e.text), rep.Labels))
				if bl != nil {
					base = append(base, bl.predict(e.title, e.text))
				}
			}
		}
	}
	rep.N = len(gold)
	rep.Ours = score("ours: hashed uni+bigram logistic regression", gold, ours, rep.Labels)
	if len(base) == len(gold) && len(base) > 0 {
		s := score("baseline: TF-IDF unigram + linear SVM (this set only)", gold, base, rep.Labels)
		rep.Baseline = &s
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func argmaxSlug(s map[string]float64, labels []string) string {
	best, bv := "", -1.0
	for _, l := range labels {
		if s[l] > bv {
			best, bv = l, s[l]
		}
	}
	return best
}

func score(name string, gold, pred, labels []string) Scorecard {
	sc := Scorecard{Name: name, F1: map[string]float64{}, Confusion: map[string]map[string]int{}}
	correct := 0
	for i := range gold {
		if gold[i] == pred[i] {
			correct++
		}
		if sc.Confusion[gold[i]] == nil {
			sc.Confusion[gold[i]] = map[string]int{}
		}
		sc.Confusion[gold[i]][pred[i]]++
	}
	if len(gold) > 0 {
		sc.Accuracy = float64(correct) / float64(len(gold))
	}
	n := 0
	for _, l := range labels {
		tp := sc.Confusion[l][l]
		fn, fp := 0, 0
		for _, p := range labels {
			if p != l {
				fn += sc.Confusion[l][p]
				fp += sc.Confusion[p][l]
			}
		}
		if tp+fn == 0 {
			continue // label absent from the gold data
		}
		f1 := 0.0
		if tp > 0 {
			f1 = 2 * float64(tp) / float64(2*tp+fp+fn)
		}
		sc.F1[l] = f1
		sc.MacroF1 += f1
		n++
	}
	if n > 0 {
		sc.MacroF1 /= float64(n)
	}
	return sc
}

// String prints accuracy, macro-F1, per-slug F1 and our confusion table.
func (r *EvalReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d examples scored, %d unmapped skipped; %s\n", r.Corpus, r.Dataset, r.N, r.Skipped, r.Method)
	if r.Dataset == "agnews" {
		b.WriteString("note: AG News here is 6,080 rows of its 7,600-row test split; the published fastText 92.4% uses the 120k train split\n")
	}
	line := func(s Scorecard) {
		fmt.Fprintf(&b, "  %-58s accuracy %.2f%%  macro-F1 %.3f\n", s.Name, 100*s.Accuracy, s.MacroF1)
	}
	line(r.Ours)
	if r.Baseline != nil {
		line(*r.Baseline)
	}
	b.WriteString("  per-slug F1 (ours")
	if r.Baseline != nil {
		b.WriteString(" / baseline")
	}
	b.WriteString("):\n")
	for _, l := range r.Labels {
		if _, ok := r.Ours.F1[l]; !ok {
			continue
		}
		fmt.Fprintf(&b, "    %-28s %.3f", l, r.Ours.F1[l])
		if r.Baseline != nil {
			fmt.Fprintf(&b, " / %.3f", r.Baseline.F1[l])
		}
		b.WriteString("\n")
	}
	b.WriteString("  confusion (ours; rows gold, columns predicted):\n")
	short := func(s string) string {
		if len(s) > 6 {
			return s[:6]
		}
		return s
	}
	fmt.Fprintf(&b, "    %-28s", "")
	for _, l := range r.Labels {
		fmt.Fprintf(&b, " %6s", short(l))
	}
	b.WriteString("\n")
	for _, g := range r.Labels {
		if r.Ours.Confusion[g] == nil {
			continue
		}
		fmt.Fprintf(&b, "    %-28s", g)
		for _, p := range r.Labels {
			fmt.Fprintf(&b, " %6d", r.Ours.Confusion[g][p])
		}
		b.WriteString("\n")
	}
	return b.String()
}

// baseline is TF-IDF over exact unigrams (stop words removed, sublinear TF,
// smoothed IDF, L2 norm) with a one-vs-rest linear SVM trained by Pegasos-style
// SGD on the hinge loss: the usual "TF-IDF + linear SVM" text classifier.
type baseline struct {
	vocab  map[string]int
	idf    []float64
	labels []string
	w      [][]float64
	b      []float64
}

type sparse struct {
	idx []int
	val []float64
}

func (bl *baseline) vector(title, text string, grow bool, df map[int]int) sparse {
	counts := map[int]float64{}
	for _, part := range []string{title, text} {
		for _, t := range tokenize(part) {
			if len(t) < 2 || stopWords[t] {
				continue
			}
			i, ok := bl.vocab[t]
			if !ok {
				if !grow {
					continue
				}
				i = len(bl.vocab)
				bl.vocab[t] = i
			}
			counts[i]++
		}
	}
	var s sparse
	for i := range counts {
		s.idx = append(s.idx, i)
	}
	slices.Sort(s.idx)
	norm := 0.0
	for _, i := range s.idx {
		v := 1 + math.Log(counts[i])
		if df != nil {
			df[i]++
		} else if i < len(bl.idf) {
			v *= bl.idf[i]
		}
		s.val = append(s.val, v)
		norm += v * v
	}
	if df == nil && norm > 0 {
		for k := range s.val {
			s.val[k] /= math.Sqrt(norm)
		}
	}
	return s
}

func trainBaseline(exs []example, seed uint64) *baseline {
	bl := &baseline{vocab: map[string]int{}}
	df := map[int]int{}
	xs := make([]sparse, len(exs))
	labelSet := map[string]bool{}
	for i, e := range exs {
		xs[i] = bl.vector(e.title, e.text, true, df)
		labelSet[e.slug] = true
	}
	for _, t := range taxonomy {
		if labelSet[t.Slug] {
			bl.labels = append(bl.labels, t.Slug)
		}
	}
	n := float64(len(exs))
	bl.idf = make([]float64, len(bl.vocab))
	for i := range bl.idf {
		bl.idf[i] = 1 + math.Log((1+n)/(1+float64(df[i])))
	}
	for k := range xs {
		norm := 0.0
		for j, i := range xs[k].idx {
			xs[k].val[j] *= bl.idf[i]
			norm += xs[k].val[j] * xs[k].val[j]
		}
		for j := range xs[k].val {
			xs[k].val[j] /= math.Sqrt(norm)
		}
	}
	const lambda, epochs = 1e-4, 10
	if seed == 0 {
		seed = 1
	}
	rng := rand.New(rand.NewPCG(seed, 0x62617365))
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	for range bl.labels {
		bl.w = append(bl.w, make([]float64, len(bl.vocab)))
		bl.b = append(bl.b, 0)
	}
	// Pegasos: w = scale·v so the L2 shrink of every step costs O(1).
	scale := make([]float64, len(bl.labels))
	for c := range scale {
		scale[c] = 1
	}
	t := 1.0
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			eta := 1 / (lambda * (t + 100))
			t++
			for c, l := range bl.labels {
				y := -1.0
				if exs[k].slug == l {
					y = 1
				}
				v := bl.w[c]
				m := 0.0
				for j, i := range xs[k].idx {
					m += v[i] * xs[k].val[j]
				}
				m = m*scale[c] + bl.b[c]
				scale[c] *= 1 - eta*lambda
				if y*m < 1 {
					for j, i := range xs[k].idx {
						v[i] += eta * y * xs[k].val[j] / scale[c]
					}
					bl.b[c] += eta * y * 0.01
				}
				if scale[c] < 1e-6 {
					for i := range v {
						v[i] *= scale[c]
					}
					scale[c] = 1
				}
			}
		}
	}
	for c := range bl.w {
		for i := range bl.w[c] {
			bl.w[c][i] *= scale[c]
		}
	}
	return bl
}

func (bl *baseline) predict(title, text string) string {
	x := bl.vector(title, text, false, nil)
	best, bv := "", math.Inf(-1)
	for c, l := range bl.labels {
		m := bl.b[c]
		for j, i := range x.idx {
			m += bl.w[c][i] * x.val[j]
		}
		if m > bv {
			best, bv = l, m
		}
	}
	return best
}

// datasetScores scores with the intercepts learnt for a training data set
// (its label priors), falling back to the runtime intercepts.
func (m *Model) datasetScores(dataset, title, text string) map[string]float64 {
	if b, ok := m.dsBias[dataset]; ok {
		return m.scores(title, text, b, false)
	}
	return m.Scores(title, text)
}
