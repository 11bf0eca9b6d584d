package topics

import (
	"bufio"
	"context"
	"encoding/json"
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

// TrainOptions tunes Train. Zero values select the documented defaults.
type TrainOptions struct {
	Epochs       int     // passes over the data (default 12)
	LearningRate float64 // initial SGD step (default 2)
	L2           float64 // L2 regularisation per example (default 2e-6)
	Seed         uint64  // shuffling seed (default 1)
	// Balance weighs each example by (N/(sets·n_set))^Balance so the small,
	// long-text BBC set is not drowned by the short-text sets (default 2).
	Balance float64
	// ClassBalance further weighs each example by (n_set/(labels·n_label))^ClassBalance,
	// so rare sections count (default 0.75; negative: off).
	ClassBalance float64
	// CalibrationFolds: the heads' scores are calibrated on held-out logits
	// from this many cross-fitted models trained on the other parts (a
	// Platt slope per head, an intercept per head and data set); training
	// costs CalibrationFolds+1 fits (default 3; negative: off).
	CalibrationFolds int
}

func (o TrainOptions) withDefaults() TrainOptions {
	if o.Epochs <= 0 {
		o.Epochs = 12
	}
	if o.CalibrationFolds == 0 {
		o.CalibrationFolds = 3
	}
	if o.CalibrationFolds < 0 || o.CalibrationFolds == 1 {
		o.CalibrationFolds = -1
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 2
	}
	if o.Balance <= 0 {
		o.Balance = 2
	}
	if o.ClassBalance == 0 {
		o.ClassBalance = 0.75
	}
	if o.ClassBalance < 0 {
		o.ClassBalance = 0
	}
	if o.L2 <= 0 {
		o.L2 = 2e-6
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// TrainReport describes a training run.
type TrainReport struct {
	Examples   map[string]int // used examples per data set
	Skipped    map[string]int // examples whose label maps to no slug
	Heads      []string       // trained slugs
	Phrases    int            // keyword-prior phrases (curated + IPTC labels)
	Options    TrainOptions
	Duration   time.Duration
	NonZero    int // non-zero int8 weights
	TotalCells int
}

func (r TrainReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trained %d heads in %s (epochs %d, lr %g, l2 %g, balance %g, class balance %g, calibration folds %d, seed %d)\n",
		len(r.Heads), r.Duration.Round(time.Millisecond), r.Options.Epochs, r.Options.LearningRate, r.Options.L2,
		r.Options.Balance, r.Options.ClassBalance, r.Options.CalibrationFolds, r.Options.Seed)
	for _, d := range datasetFiles {
		fmt.Fprintf(&b, "  %-9s %6d examples (%d unmapped, skipped)\n", d.name, r.Examples[d.name], r.Skipped[d.name])
	}
	fmt.Fprintf(&b, "  priors: %d phrases; non-zero weights %d of %d (%.1f%%)\n",
		r.Phrases, r.NonZero, r.TotalCells, 100*float64(r.NonZero)/float64(max(r.TotalCells, 1)))
	return b.String()
}

// example is one labelled document.
type example struct {
	dataset string
	id      string
	label   string // original label
	slug    string // mapped slug, "" if unmapped
	title   string
	text    string
}

// readDataset reads a labelled JSON Lines file of a known data set.
func readDataset(path, dataset string) ([]example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []example
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		var r struct {
			ID, Label, Title, Text, Description, Headline string
			ShortDescription                              string `json:"short_description"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		title, text := r.Title, r.Text
		if r.Headline != "" {
			title = r.Headline
		}
		if text == "" {
			text = r.Description
		}
		if text == "" {
			text = r.ShortDescription
		}
		slug, ok := mapLabel(dataset, r.Label)
		if !ok {
			return nil, fmt.Errorf("%s:%d: label %q of %s is not in the mapping table", path, n, r.Label, dataset)
		}
		out = append(out, example{dataset: dataset, id: r.ID, label: r.Label, slug: slug, title: title, text: text})
	}
	return out, sc.Err()
}

// datasetOf guesses the data set of a file from its base name.
func datasetOf(path string) string {
	base := strings.ToLower(filepath.Base(path))
	for name := range labelMapping {
		if strings.HasPrefix(base, name) {
			return name
		}
	}
	return ""
}

// readAll reads every labelled set present in dataDir, in fixed order.
func readAll(dataDir string) (map[string][]example, error) {
	out := map[string][]example{}
	for _, d := range datasetFiles {
		p := filepath.Join(dataDir, d.file)
		exs, err := readDataset(p, d.name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[d.name] = exs
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("topics: no labelled data set in %s", dataDir)
	}
	return out, nil
}

// readIPTCPhrases returns the labels of the descendants of each prior slug's
// IPTC roots (active concepts only) as weak phrases. A missing file yields none.
func readIPTCPhrases(dataDir string) ([]phrase, error) {
	f, err := os.Open(filepath.Join(dataDir, "iptc_mediatopics.jsonl"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type concept struct {
		QCode   string  `json:"qcode"`
		Parent  *string `json:"parent"`
		Label   string  `json:"label"`
		Retired *string `json:"retired"`
	}
	var all []concept
	parent := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var c concept
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, err
		}
		if c.Parent != nil {
			parent[c.QCode] = *c.Parent
		}
		all = append(all, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []phrase
	for _, p := range priorSlugs {
		for _, c := range all {
			if c.Retired != nil || !descendsFrom(c.QCode, p.roots, parent) {
				continue
			}
			label := c.Label
			if i := strings.Index(label, "("); i >= 0 {
				label = label[:i]
			}
			label = strings.TrimSpace(label)
			if n := len(tokenize(label)); n == 0 || n > 3 {
				continue
			}
			out = append(out, phrase{Slug: p.slug, Text: label, Weight: iptcPhraseWeight})
		}
	}
	return out, nil
}

func descendsFrom(q string, roots []string, parent map[string]string) bool {
	for q != "" {
		if slices.Contains(roots, q) {
			return true
		}
		q = parent[q]
	}
	return false
}

// Train trains a model on the labelled sets in dataDir (see datasetFiles and
// labelMapping) and the IPTC vocabulary there. The result depends only on the
// data and opts: same inputs, byte-identical WriteTo output.
func Train(ctx context.Context, dataDir string, opts TrainOptions) (*Model, TrainReport, error) {
	sets, err := readAll(dataDir)
	if err != nil {
		return nil, TrainReport{}, err
	}
	iptc, err := readIPTCPhrases(dataDir)
	if err != nil {
		return nil, TrainReport{}, fmt.Errorf("topics: iptc: %w", err)
	}
	var exs []example
	for _, d := range datasetFiles {
		exs = append(exs, sets[d.name]...)
	}
	return trainExamples(ctx, exs, iptc, opts)
}

// trainExamples fits a model on exs (in the given order before shuffling)
// and, unless opts turn it off, calibrates its heads (see trainCalibrated).
func trainExamples(ctx context.Context, exs []example, iptc []phrase, opts TrainOptions) (*Model, TrainReport, error) {
	opts = opts.withDefaults()
	if opts.CalibrationFolds > 1 {
		return trainCalibrated(ctx, exs, iptc, opts)
	}
	return fitExamples(ctx, exs, iptc, opts)
}

// fitExamples fits the uncalibrated model: SGD on the heads, then quantisation.
func fitExamples(ctx context.Context, exs []example, iptc []phrase, opts TrainOptions) (*Model, TrainReport, error) {
	start := time.Now()
	rep := TrainReport{Examples: map[string]int{}, Skipped: map[string]int{}, Options: opts}

	covered := map[string][]string{}
	headSet := map[string]bool{}
	var used []example
	for _, e := range exs {
		if e.slug == "" {
			rep.Skipped[e.dataset]++
			continue
		}
		if _, ok := covered[e.dataset]; !ok {
			covered[e.dataset] = coveredSlugs(e.dataset)
			for _, s := range covered[e.dataset] {
				headSet[s] = true
			}
		}
		rep.Examples[e.dataset]++
		used = append(used, e)
	}
	var heads []string
	for _, t := range taxonomy {
		if headSet[t.Slug] {
			heads = append(heads, t.Slug)
		}
	}
	if len(heads) == 0 {
		return nil, rep, errors.New("topics: no labelled examples to train on")
	}
	headIdx := map[string]int{}
	for i, h := range heads {
		headIdx[h] = i
	}

	// Features, positive head and mask of covered heads per example.
	type row struct {
		x    []feature
		pos  int
		mask []int
		ds   int // index into dsNames
	}
	masks := map[string][]int{}
	for d, slugs := range covered {
		for _, s := range slugs {
			masks[d] = append(masks[d], headIdx[s])
		}
	}
	// IDF per bucket over the training documents: 1 + ln((1+N)/(1+df)).
	raw := make([][]uint32, len(used))
	df := make([]int32, numBuckets)
	for i, e := range used {
		if i%512 == 0 && ctx.Err() != nil {
			return nil, rep, ctx.Err()
		}
		raw[i] = hashBuckets(e.title, e.text)
		slices.Sort(raw[i])
		for j, b := range raw[i] {
			if j == 0 || raw[i][j-1] != b {
				df[b]++
			}
		}
	}
	idf := make([]uint8, numBuckets)
	n := float64(len(used))
	for b := range idf {
		v := (1 + math.Log((1+n)/(1+float64(df[b])))) * idfScale
		idf[b] = uint8(max(1, min(255, math.Round(v))))
	}
	// Each data set's examples weigh (N/(sets·n_set))^balance.
	dsN := map[string]int{}
	classN := map[[2]string]int{}
	for _, e := range used {
		dsN[e.dataset]++
		classN[[2]string{e.dataset, e.slug}]++
	}
	var dsNames []string
	for _, d := range datasetFiles {
		if dsN[d.name] > 0 {
			dsNames = append(dsNames, d.name)
		}
	}
	rows := make([]row, len(used))
	weights := make([]float64, len(used))
	for i, e := range used {
		rows[i] = row{x: countVector(raw[i], idf), pos: headIdx[e.slug], mask: masks[e.dataset], ds: slices.Index(dsNames, e.dataset)}
		weights[i] = math.Pow(float64(len(used))/float64(len(dsN)*dsN[e.dataset]), opts.Balance) *
			math.Pow(float64(dsN[e.dataset])/float64(len(masks[e.dataset])*classN[[2]string{e.dataset, e.slug}]), opts.ClassBalance)
	}

	// One-vs-rest logistic regression by SGD, masked to covered heads.
	// Weights are w = scale[h]·v to apply L2 decay in O(1) per step.
	nh := len(heads)
	v := make([]float64, numBuckets*nh)
	wscale := make([]float64, nh)
	for h := range wscale {
		wscale[h] = 1
	}
	// Intercepts are per data set (label priors differ: POLITICS is 34% of
	// HuffPost, 19% of BBC); weights are shared.
	bias := make([][]float64, len(dsNames))
	for d := range bias {
		bias[d] = make([]float64, nh)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x70706963))
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	t := 0.0
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		if ctx.Err() != nil {
			return nil, rep, ctx.Err()
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			r := rows[k]
			lr := opts.LearningRate / (1 + opts.LearningRate*opts.L2*t)
			t++
			for _, h := range r.mask {
				dot := 0.0
				for _, f := range r.x {
					dot += v[int(f.idx)*nh+h] * float64(f.val)
				}
				z := bias[r.ds][h] + dot*wscale[h]
				y := 0.0
				if h == r.pos {
					y = 1
				}
				g := (sigmoid(z) - y) * weights[k]
				wscale[h] *= 1 - lr*opts.L2
				if wscale[h] < 1e-9 {
					for b := 0; b < numBuckets; b++ {
						v[b*nh+h] *= wscale[h]
					}
					wscale[h] = 1
				}
				step := lr * g / wscale[h]
				for _, f := range r.x {
					v[int(f.idx)*nh+h] -= step * float64(f.val)
				}
				bias[r.ds][h] -= lr * g
			}
		}
	}

	// Quantise to int8 with a per-head scale (max |w| / 127).
	m := &Model{heads: heads, bias: make([]float32, nh), scale: make([]float32, nh), weights: make([]int8, len(v)), idf: idf}
	for h := 0; h < nh; h++ {
		maxAbs := 0.0
		for b := 0; b < numBuckets; b++ {
			maxAbs = max(maxAbs, math.Abs(v[b*nh+h]*wscale[h]))
		}
		sc := maxAbs / 127
		if sc == 0 {
			sc = 1
		}
		m.scale[h] = float32(sc)
		// Runtime intercept: mean over the data sets covering the head.
		sum, n := 0.0, 0
		for d, name := range dsNames {
			if slices.Contains(masks[name], h) {
				sum += bias[d][h]
				n++
			}
		}
		m.bias[h] = float32(sum / float64(n))
		for b := 0; b < numBuckets; b++ {
			q := math.Round(v[b*nh+h] * wscale[h] / sc)
			m.weights[b*nh+h] = int8(max(-127, min(127, q)))
			if q != 0 {
				rep.NonZero++
			}
		}
	}
	m.dsBias = map[string][]float32{}
	for d, name := range dsNames {
		b := make([]float32, nh)
		for h := range b {
			b[h] = float32(bias[d][h])
		}
		m.dsBias[name] = b
	}
	rep.TotalCells = len(m.weights)
	m.phrases = append(curatedPhraseList(), iptc...)
	m.prior = newPriorMatcher(m.phrases)
	rep.Heads = heads
	rep.Phrases = len(m.phrases)
	rep.Duration = time.Since(start)
	return m, rep, nil
}
