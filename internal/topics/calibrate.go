package topics

import (
	"context"
	"math"
	"slices"
	"time"
)

// Calibration. SGD on class-balanced, data-set-balanced examples leaves the
// heads' logits on different scales, and intercepts learnt on (nearly
// separable) training data do not carry over to new text: rare heads come out
// too low, and the argmax drifts to the majority slug (politics). So the
// heads are recalibrated on held-out logits: the examples are split into k
// parts (index mod k); a model trained on the other parts scores each part;
// for each head a Platt fit sigmoid(a·z + c[set]) on those held-out logits
// gives one slope per head (folded into the head's weight scale) and one
// intercept per data set (the runtime intercept is their mean). Each data
// set's rows weigh 1/n_set in the fit; the fit is unweighted by class, so
// scores are calibrated to the sets' own label frequencies.

// calRow is one held-out example: its data set, gold slug and the raw head
// logits of the model that did not see it (with that model's intercepts for
// the example's set).
type calRow struct {
	ds  string
	pos string
	z   map[string]float64
}

// trainCalibrated fits opts.CalibrationFolds cross-fitted models for the
// held-out logits, then the final model on all of exs, and calibrates it.
func trainCalibrated(ctx context.Context, exs []example, iptc []phrase, opts TrainOptions) (*Model, TrainReport, error) {
	start := time.Now()
	k := opts.CalibrationFolds
	var rows []calRow
	for c := 0; c < k; c++ {
		var tr, held []example
		for i, e := range exs {
			if i%k == c {
				held = append(held, e)
			} else {
				tr = append(tr, e)
			}
		}
		fm, _, err := fitExamples(ctx, tr, nil, opts)
		if err != nil {
			return nil, TrainReport{}, err
		}
		for _, e := range held {
			b, ok := fm.dsBias[e.dataset]
			if e.slug == "" || !ok {
				continue
			}
			z := fm.headLogits(vectorizeTokens(tokenize(e.title), tokenize(e.text), fm.idf), b)
			r := calRow{ds: e.dataset, pos: e.slug, z: make(map[string]float64, len(z))}
			for i, h := range fm.heads {
				r.z[h] = z[i]
			}
			rows = append(rows, r)
		}
	}
	m, rep, err := fitExamples(ctx, exs, iptc, opts)
	if err != nil {
		return nil, rep, err
	}
	for h, head := range m.heads {
		var dss []string
		for _, d := range datasetFiles {
			if _, ok := m.dsBias[d.name]; ok && slices.Contains(coveredSlugs(d.name), head) {
				dss = append(dss, d.name)
			}
		}
		if len(dss) == 0 {
			continue
		}
		a, c := fitPlatt(rows, head, dss)
		m.scale[h] *= float32(a)
		sum := 0.0
		for i, d := range dss {
			v := a*float64(m.dsBias[d][h]) + c[i]
			m.dsBias[d][h] = float32(v)
			sum += v
		}
		m.bias[h] = float32(sum / float64(len(dss)))
	}
	rep.Duration = time.Since(start)
	return m, rep, nil
}

// calMinClass is the fewest held-out positives, and negatives, a data set
// needs for its rows to enter a head's Platt fit; a head no set qualifies
// for keeps its trained slope and intercepts (tiny training sets).
const calMinClass = 10

// calRidge keeps the Platt fit near the identity (a = 1, c = 0) when the
// held-out logits separate the classes perfectly (tiny training sets).
const calRidge = 1e-5

// fitPlatt fits sigmoid(a·z + c[d]) for one head on the held-out logits of
// the data sets dss (rows of other sets, or lacking the head, are ignored, and
// so are sets with fewer than calMinClass positives or negatives):
// one slope, one intercept per set, each set's rows weighing 1/n_set, by
// Newton steps on the slope and on each intercept in turn.
func fitPlatt(rows []calRow, head string, dss []string) (float64, []float64) {
	a := 1.0
	c := make([]float64, len(dss))
	type pt struct {
		z, y, w float64
		d       int
	}
	var pts []pt
	for i, d := range dss {
		n, npos := 0, 0
		for _, r := range rows {
			if _, ok := r.z[head]; ok && r.ds == d {
				n++
				if r.pos == head {
					npos++
				}
			}
		}
		if npos < calMinClass || n-npos < calMinClass {
			continue
		}
		for _, r := range rows {
			z, ok := r.z[head]
			if r.ds != d || !ok {
				continue
			}
			y := 0.0
			if r.pos == head {
				y = 1
			}
			pts = append(pts, pt{z, y, 1 / float64(n), i})
		}
	}
	if len(pts) == 0 {
		return 1, c
	}
	for range 100 {
		ga, ha := calRidge*(a-1), calRidge
		gc := make([]float64, len(dss))
		hc := make([]float64, len(dss))
		for i := range c {
			gc[i], hc[i] = calRidge*c[i], calRidge
		}
		for _, p := range pts {
			q := sigmoid(a*p.z + c[p.d])
			g := (q - p.y) * p.w
			hh := q * (1 - q) * p.w
			ga += g * p.z
			ha += hh * p.z * p.z
			gc[p.d] += g
			hc[p.d] += hh
		}
		st := max(-1, min(1, ga/ha))
		a -= st
		delta := math.Abs(st)
		for i := range c {
			st := max(-2, min(2, gc[i]/hc[i]))
			c[i] -= st
			delta = max(delta, math.Abs(st))
		}
		if delta < 1e-7 {
			break
		}
	}
	return max(a, 0.05), c
}
