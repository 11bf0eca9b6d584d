package serve

import (
	"net/http"
	"strconv"
	"time"

	"github.com/vantage-news/vantage/internal/metrics"
	"github.com/vantage-news/vantage/internal/pipeline"
)

// serverMetrics are the series the server and its pipeline report.
type serverMetrics struct {
	requests  *metrics.Counter
	latency   *metrics.Histogram
	ingested  *metrics.Counter
	analysis  *metrics.Histogram
	queue     *metrics.Gauge
	stories   *metrics.Gauge
	feedItems *metrics.Gauge
	feedErrs  *metrics.Gauge
}

func newServerMetrics(r *metrics.Registry) *serverMetrics {
	return &serverMetrics{
		requests:  r.NewCounter("vantage_http_requests_total", "HTTP requests by route pattern and status code.", "route", "code"),
		latency:   r.NewHistogram("vantage_http_request_seconds", "HTTP request latency by route pattern.", nil, "route"),
		ingested:  r.NewCounter("vantage_ingest_articles_total", "Articles read by ingest, by outcome (new, duplicate, rejected).", "outcome"),
		analysis:  r.NewHistogram("vantage_analysis_seconds", "Time one analyser spends on one article.", []float64{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5}, "analyser"),
		queue:     r.NewGauge("vantage_ingest_queue_depth", "Articles received by the API and not yet stored."),
		stories:   r.NewGauge("vantage_stories_indexed", "Stories in the briefing index."),
		feedItems: r.NewGauge("vantage_feed_items", "Items a feed gave at its last fetch.", "feed"),
		feedErrs:  r.NewGauge("vantage_feed_errors", "Consecutive fetch errors of a feed.", "feed"),
	}
}

// ObserveAnalysis records an analyser run (hook it to pipeline.Pipeline.Observe).
func (s *Server) ObserveAnalysis(analyser string, d time.Duration) {
	s.init()
	s.m.analysis.Observe(d.Seconds(), analyser)
}

// ObserveIngest adds an ingest run's counts.
func (s *Server) ObserveIngest(sum pipeline.Summary) {
	s.init()
	s.m.ingested.Add(float64(sum.New), "new")
	s.m.ingested.Add(float64(sum.Duplicate), "duplicate")
	s.m.ingested.Add(float64(sum.Rejected), "rejected")
}

// instrument counts requests and their latency by route pattern.
func (s *Server) instrument(h http.Handler) http.Handler {
	s.init()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.m.requests.Inc(route, strconv.Itoa(sw.status))
		s.m.latency.Observe(time.Since(start).Seconds(), route)
	})
}

func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	s.init()
	if s.Lens != nil && s.Lens.Index != nil {
		s.m.stories.Set(float64(s.Lens.Index.Len()))
	}
	if fs, err := s.Store.Feeds(r.Context()); err == nil {
		for _, f := range fs {
			s.m.feedItems.Set(float64(f.Items), f.URL)
			s.m.feedErrs.Set(float64(f.ErrorCount), f.URL)
		}
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.Metrics.WriteTo(w)
}
