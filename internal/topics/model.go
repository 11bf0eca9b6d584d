package topics

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/vantage-news/vantage/internal/article"
)

//go:generate go run ./gen -data ../../../shared/data/topics -out model/topics.bin.gz

//go:embed model/topics.bin.gz
var embeddedModel []byte

// Threshold is the score a label needs to be returned by Classify.
const Threshold = 0.5

// FallbackThreshold: when no level-1 slug reaches Threshold, Classify still
// returns the best level-1 slug if its score reaches FallbackThreshold.
const FallbackThreshold = 0.3

const modelMagic = "VTOPICS1"

// Model is a trained topic classifier: one logistic-regression head per
// trained slug over hashed unigram+bigram features (int8 weights with a
// per-head scale), keyword priors for the other slugs, and the general-news
// rule. A Model is immutable and safe for concurrent use.
type Model struct {
	heads   []string             // trained slugs, taxonomy order
	bias    []float32            // per head, used at runtime
	dsBias  map[string][]float32 // per training data set and head, used by Evaluate
	scale   []float32            // per head: weight = scale × int8
	weights []int8               // numBuckets × len(heads), bucket-major
	idf     []uint8              // per bucket, fixed point (idfScale); nil: no IDF
	phrases []phrase             // keyword priors, as stored
	prior   *priorMatcher
}

// Load decodes the model embedded in the binary.
func Load() (*Model, error) {
	return ReadModel(bytes.NewReader(embeddedModel))
}

// Default returns the embedded model, decoded once.
var Default = sync.OnceValues(Load)

// Heads returns the slugs with a trained head.
func (m *Model) Heads() []string { return slices.Clone(m.heads) }

// WriteTo writes the model in its gzip-compressed binary format. The output
// is a deterministic function of the model.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(zw)
	le := binary.LittleEndian
	put := func(v any) { _ = binary.Write(bw, le, v) }
	putStr := func(s string) { put(uint16(len(s))); _, _ = bw.WriteString(s) }
	_, _ = bw.WriteString(modelMagic)
	put(uint32(hashBits))
	put(uint32(len(m.heads)))
	for i, h := range m.heads {
		putStr(h)
		put(m.bias[i])
		put(m.scale[i])
	}
	for _, v := range m.weights {
		_ = bw.WriteByte(byte(v))
	}
	_, _ = bw.Write(m.idf)
	var names []string
	for _, d := range datasetFiles {
		if _, ok := m.dsBias[d.name]; ok {
			names = append(names, d.name)
		}
	}
	put(uint32(len(names)))
	for _, n := range names {
		putStr(n)
		put(m.dsBias[n])
	}
	put(uint32(len(m.phrases)))
	for _, p := range m.phrases {
		putStr(p.Slug)
		putStr(p.Text)
		put(p.Weight)
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	if err := zw.Close(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadModel decodes a model written by WriteTo.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("topics: model: %w", err)
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	le := binary.LittleEndian
	var rerr error
	get := func(v any) {
		if rerr == nil {
			rerr = binary.Read(br, le, v)
		}
	}
	getStr := func() string {
		var n uint16
		get(&n)
		if rerr != nil {
			return ""
		}
		b := make([]byte, n)
		_, rerr = io.ReadFull(br, b)
		return string(b)
	}
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("topics: model: bad magic")
	}
	var bits, nh uint32
	get(&bits)
	get(&nh)
	if rerr == nil && (bits != hashBits || nh == 0 || nh > 64) {
		return nil, fmt.Errorf("topics: model: unsupported layout (bits %d, heads %d)", bits, nh)
	}
	m := &Model{}
	for range nh {
		m.heads = append(m.heads, getStr())
		var b, s float32
		get(&b)
		get(&s)
		m.bias = append(m.bias, b)
		m.scale = append(m.scale, s)
	}
	if rerr != nil {
		return nil, fmt.Errorf("topics: model: %w", rerr)
	}
	raw := make([]byte, numBuckets*int(nh))
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("topics: model weights: %w", err)
	}
	m.weights = make([]int8, len(raw))
	for i, b := range raw {
		m.weights[i] = int8(b)
	}
	m.idf = make([]uint8, numBuckets)
	if _, err := io.ReadFull(br, m.idf); err != nil {
		return nil, fmt.Errorf("topics: model idf: %w", err)
	}
	var nds uint32
	get(&nds)
	m.dsBias = map[string][]float32{}
	for i := uint32(0); i < nds && rerr == nil; i++ {
		name := getStr()
		b := make([]float32, nh)
		get(b)
		m.dsBias[name] = b
	}
	var np uint32
	get(&np)
	for i := uint32(0); i < np && rerr == nil; i++ {
		p := phrase{Slug: getStr(), Text: getStr()}
		get(&p.Weight)
		m.phrases = append(m.phrases, p)
	}
	if rerr != nil {
		return nil, fmt.Errorf("topics: model priors: %w", rerr)
	}
	m.prior = newPriorMatcher(m.phrases)
	return m, nil
}

// headLogits returns the trained heads' logits for a feature vector.
func (m *Model) headLogits(x []feature, bias []float32) []float64 {
	nh := len(m.heads)
	acc := make([]float32, nh)
	for _, f := range x {
		row := m.weights[int(f.idx)*nh : int(f.idx)*nh+nh]
		for h, w := range row {
			acc[h] += float32(w) * f.val
		}
	}
	out := make([]float64, nh)
	for h := range acc {
		out[h] = float64(acc[h]*m.scale[h] + bias[h])
	}
	return out
}

// headScores returns the trained heads' probabilities for a feature vector.
func (m *Model) headScores(x []feature, bias []float32) []float64 {
	out := m.headLogits(x, bias)
	for h := range out {
		out[h] = sigmoid(out[h])
	}
	return out
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Scores returns the score in [0,1] of every slug of the taxonomy.
func (m *Model) Scores(title, text string) map[string]float64 {
	return m.scores(title, text, m.bias, true)
}

// scores computes all slug scores with the given head intercepts. With
// corroborate, the politics head is corroborated by political cues
// (politicsCueGate): the multi-label scores of Scores and Classify. Evaluate
// scores without it, since there politics is the labelled sets' own label,
// which includes world news that is not politics (AG News "World").
func (m *Model) scores(title, text string, bias []float32, corroborate bool) map[string]float64 {
	s := make(map[string]float64, len(taxonomy))
	tt, xt := tokenize(title), tokenize(text)
	for i, v := range m.headScores(vectorizeTokens(tt, xt, m.idf), bias) {
		s[m.heads[i]] = v
	}
	kw := m.prior.scoreTokens(tt, xt)
	if _, ok := s["politics"]; ok && corroborate {
		s["politics"] *= politicsCueGate(kw[priorIndex("politics")])
	}
	// Level-1 prior slugs first: the level-2 gates read conflict-war-peace.
	for pass := 0; pass < 2; pass++ {
		for i, p := range priorSlugs {
			level2 := p.slug == "elections" || p.slug == "diplomacy" || p.slug == "policy-and-legislation"
			if _, trained := s[p.slug]; trained || level2 != (pass == 1) {
				continue
			}
			s[p.slug] = kw[i] * priorGate(p.slug, s)
		}
	}
	for _, t := range taxonomy {
		if _, ok := s[t.Slug]; !ok && t.Slug != GeneralNews {
			s[t.Slug] = 0
		}
	}
	s[GeneralNews] = generalNewsScore(s)
	return s
}

// generalNewsWeights lists the hard-news slugs behind general-news and the
// weight of each.
var generalNewsWeights = []struct {
	slug   string
	weight float64
}{
	{"politics", 1}, {"conflict-war-peace", 1}, {"disaster-accident", 1}, {"crime-law-justice", 1},
	{"diplomacy", 1}, {"elections", 1}, {"policy-and-legislation", 1},
	{"economy-business-finance", 0.8}, {"health", 0.6},
}

// generalNewsScore is the general-news rule:
//
//	hard = max(politics, conflict-war-peace, disaster-accident, crime-law-justice,
//	           diplomacy, elections, policy-and-legislation,
//	           0.8·economy-business-finance, 0.6·health)
//	soft = max(sport, arts-culture-entertainment, lifestyle-leisure, human-interest)
//	general-news = hard × (1 − 0.5·soft)
func generalNewsScore(s map[string]float64) float64 {
	hard := 0.0
	for _, g := range generalNewsWeights {
		hard = max(hard, g.weight*s[g.slug])
	}
	soft := max(s["sport"], s["arts-culture-entertainment"], s["lifestyle-leisure"], s["human-interest"])
	return hard * (1 - 0.5*soft)
}

// Classify returns the article's topics sorted by score (highest first): all
// slugs scoring at least Threshold, general-news by its rule, and — when no
// level-1 slug reaches Threshold — the best level-1 slug if it reaches
// FallbackThreshold.
func (m *Model) Classify(title, text string) []article.Topic {
	s := m.Scores(title, text)
	var out []article.Topic
	bestL1, bestScore, haveL1 := "", -1.0, false
	for _, t := range taxonomy {
		v := s[t.Slug]
		if v >= Threshold {
			out = append(out, article.Topic{Slug: t.Slug, IPTC: t.IPTC, Score: round3(v)})
			if t.Parent == "" && t.Slug != GeneralNews {
				haveL1 = true
			}
		}
		if t.Parent == "" && t.Slug != GeneralNews && v > bestScore {
			bestL1, bestScore = t.Slug, v
		}
	}
	if !haveL1 && bestScore >= FallbackThreshold {
		out = append(out, article.Topic{Slug: bestL1, IPTC: iptcOf(bestL1), Score: round3(bestScore)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
