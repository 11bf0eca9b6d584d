// Package metrics is the operations step: counters, gauges and histograms
// kept in memory and written in the Prometheus text exposition format for
// /metrics. It is small on purpose: labels are fixed per metric, values are
// float64, and every method is safe for concurrent use.
package metrics

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Registry holds metrics in registration order.
type Registry struct {
	mu      sync.Mutex
	metrics []metric
}

type metric interface {
	write(w io.Writer) error
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

func (r *Registry) add(m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.metrics = append(r.metrics, m)
}

// WriteTo writes every metric in the text exposition format (version 0.0.4).
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	ms := slices.Clone(r.metrics)
	r.mu.Unlock()
	cw := &countWriter{w: w}
	for _, m := range ms {
		if err := m.write(cw); err != nil {
			return cw.n, err
		}
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// vec is the labelled series of one metric.
type vec struct {
	name, help, kind string
	labels           []string
	mu               sync.Mutex
	series           map[string]*series
}

type series struct {
	values []string // label values
	v      float64
	counts []uint64 // histogram buckets (cumulative on output)
	sum    float64
	n      uint64
}

func (v *vec) get(values []string) *series {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, got %d", v.name, len(v.labels), len(values)))
	}
	k := strings.Join(values, "\xff")
	s, ok := v.series[k]
	if !ok {
		s = &series{values: slices.Clone(values)}
		v.series[k] = s
	}
	return s
}

func (v *vec) sorted() []*series {
	out := make([]*series, 0, len(v.series))
	for _, s := range v.series {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *series) int {
		return strings.Compare(strings.Join(a.values, "\xff"), strings.Join(b.values, "\xff"))
	})
	return out
}

func (v *vec) header(w io.Writer) error {
	_, err := fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", v.name, escapeHelp(v.help), v.name, v.kind)
	return err
}

func labelString(names, values []string, extra ...string) string {
	if len(names) == 0 && len(extra) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n + `="` + escapeLabel(values[i]) + `"`)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(extra[i] + `="` + escapeLabel(extra[i+1]) + `"`)
	}
	b.WriteByte('}')
	return b.String()
}

func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(s)
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Counter is a monotonically increasing labelled value.
type Counter struct{ v *vec }

// NewCounter registers a counter.
func (r *Registry) NewCounter(name, help string, labels ...string) *Counter {
	c := &Counter{&vec{name: name, help: help, kind: "counter", labels: labels, series: map[string]*series{}}}
	r.add(c)
	return c
}

// Add adds d (≥ 0) to the series of the label values.
func (c *Counter) Add(d float64, labelValues ...string) {
	if d < 0 {
		return
	}
	c.v.mu.Lock()
	c.v.get(labelValues).v += d
	c.v.mu.Unlock()
}

// Inc adds one.
func (c *Counter) Inc(labelValues ...string) { c.Add(1, labelValues...) }

// Value returns the current value of a series.
func (c *Counter) Value(labelValues ...string) float64 {
	c.v.mu.Lock()
	defer c.v.mu.Unlock()
	return c.v.get(labelValues).v
}

func (c *Counter) write(w io.Writer) error { return writeSimple(w, c.v) }

// Gauge is a labelled value that goes up and down.
type Gauge struct{ v *vec }

// NewGauge registers a gauge.
func (r *Registry) NewGauge(name, help string, labels ...string) *Gauge {
	g := &Gauge{&vec{name: name, help: help, kind: "gauge", labels: labels, series: map[string]*series{}}}
	r.add(g)
	return g
}

// Set sets the series of the label values.
func (g *Gauge) Set(v float64, labelValues ...string) {
	g.v.mu.Lock()
	g.v.get(labelValues).v = v
	g.v.mu.Unlock()
}

// Add adds d (may be negative).
func (g *Gauge) Add(d float64, labelValues ...string) {
	g.v.mu.Lock()
	g.v.get(labelValues).v += d
	g.v.mu.Unlock()
}

func (g *Gauge) write(w io.Writer) error { return writeSimple(w, g.v) }

func writeSimple(w io.Writer, v *vec) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.header(w); err != nil {
		return err
	}
	for _, s := range v.sorted() {
		if _, err := fmt.Fprintf(w, "%s%s %s\n", v.name, labelString(v.labels, s.values), formatFloat(s.v)); err != nil {
			return err
		}
	}
	return nil
}

// Histogram counts observations in cumulative buckets.
type Histogram struct {
	v       *vec
	buckets []float64 // upper bounds, ascending
}

// DefBuckets suit latencies in seconds, from 0.5 ms to 10 s.
var DefBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// NewHistogram registers a histogram; nil buckets are DefBuckets.
func (r *Registry) NewHistogram(name, help string, buckets []float64, labels ...string) *Histogram {
	if buckets == nil {
		buckets = DefBuckets
	}
	h := &Histogram{v: &vec{name: name, help: help, kind: "histogram", labels: labels, series: map[string]*series{}}, buckets: slices.Clone(buckets)}
	slices.Sort(h.buckets)
	r.add(h)
	return h
}

// Observe records one value.
func (h *Histogram) Observe(x float64, labelValues ...string) {
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	s := h.v.get(labelValues)
	if s.counts == nil {
		s.counts = make([]uint64, len(h.buckets))
	}
	if i, _ := slices.BinarySearch(h.buckets, x); i < len(h.buckets) {
		s.counts[i]++
	}
	s.sum += x
	s.n++
}

// Count returns how many values a series has observed.
func (h *Histogram) Count(labelValues ...string) uint64 {
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	return h.v.get(labelValues).n
}

func (h *Histogram) write(w io.Writer) error {
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	if err := h.v.header(w); err != nil {
		return err
	}
	for _, s := range h.v.sorted() {
		var cum uint64
		for i, ub := range h.buckets {
			if s.counts != nil {
				cum += s.counts[i]
			}
			if _, err := fmt.Fprintf(w, "%s_bucket%s %d\n", h.v.name, labelString(h.v.labels, s.values, "le", formatFloat(ub)), cum); err != nil {
				return err
			}
		}
		ls := labelString(h.v.labels, s.values)
		if _, err := fmt.Fprintf(w, "%s_bucket%s %d\n%s_sum%s %s\n%s_count%s %d\n", h.v.name, labelString(h.v.labels, s.values, "le", "+Inf"), s.n,
			h.v.name, ls, formatFloat(s.sum), h.v.name, ls, s.n); err != nil {
			return err
		}
	}
	return nil
}
