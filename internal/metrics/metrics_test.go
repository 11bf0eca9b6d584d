package metrics

import (
	"strings"
	"sync"
	"testing"
)

func TestExposition(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounter("vantage_http_requests_total", "HTTP requests.", "route", "code")
	g := r.NewGauge("vantage_queue_depth", "Articles waiting.")
	h := r.NewHistogram("vantage_http_seconds", "Latency.", []float64{0.1, 1}, "route")
	c.Inc("GET /a", "200")
	c.Add(2, "GET /a", "200")
	c.Inc(`GET /"b"`, "404")
	g.Set(7)
	h.Observe(0.05, "GET /a")
	h.Observe(0.1, "GET /a")
	h.Observe(3, "GET /a")
	var b strings.Builder
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP vantage_http_requests_total HTTP requests.
# TYPE vantage_http_requests_total counter
vantage_http_requests_total{route="GET /\"b\"",code="404"} 1
vantage_http_requests_total{route="GET /a",code="200"} 3
# HELP vantage_queue_depth Articles waiting.
# TYPE vantage_queue_depth gauge
vantage_queue_depth 7
# HELP vantage_http_seconds Latency.
# TYPE vantage_http_seconds histogram
vantage_http_seconds_bucket{route="GET /a",le="0.1"} 2
vantage_http_seconds_bucket{route="GET /a",le="1"} 2
vantage_http_seconds_bucket{route="GET /a",le="+Inf"} 3
vantage_http_seconds_sum{route="GET /a"} 3.15
vantage_http_seconds_count{route="GET /a"} 3
`
	if b.String() != want {
		t.Errorf("exposition:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestConcurrent(t *testing.T) {
	r := NewRegistry()
	c := r.NewCounter("n", "n", "k")
	h := r.NewHistogram("h", "h", nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				c.Inc("x")
				h.Observe(0.01)
			}
		})
	}
	wg.Wait()
	if c.Value("x") != 8000 || h.Count() != 8000 {
		t.Errorf("counter %v, histogram %d", c.Value("x"), h.Count())
	}
}
