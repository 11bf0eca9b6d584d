// Package serve is the HTTP face of Vantage: the JSON API under /api/v1, health
// checks, feeds out and /metrics, routed from one table in routes.go; the web
// pages and the alerts API join through Server.Extra. A subscribed feed can
// be fetched on request (POST /api/v1/feeds/{id}/fetch) through
// Server.Fetcher, the same poller that runs the scheduled polls.
package serve

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/httpjson"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/metrics"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
)

// Server holds what the handlers need. Build one, then use Handler or Run.
type Server struct {
	Store    store.Store
	Pipeline *pipeline.Pipeline // runs POSTed articles into the store
	Token    string             // bearer token for write endpoints; "" leaves them open
	Logger   *slog.Logger
	Version  string

	// MaxPostBytes caps a POST body (default 16 MiB).
	MaxPostBytes int64

	// Lens answers briefs, lenses and place lookups; nil disables them.
	Lens *lens.Engine
	// Fetcher fetches one feed on request (POST /api/v1/feeds/{id}/fetch);
	// nil: that route answers 503.
	Fetcher FeedFetcher
	// Metrics is where /metrics reads from; nil: the server makes its own.
	Metrics *metrics.Registry
	// CORSOrigins allowed to call the API from a browser ("*" for any).
	CORSOrigins []string
	// Extra registers more routes (the web pages, alerts) on the mux.
	Extra []func(mux *http.ServeMux, requireToken func(http.HandlerFunc) http.HandlerFunc)
	// hasRoot is set when an Extra serves "/" itself.
	hasRoot bool

	once  sync.Once
	m     *serverMetrics
	resps *respCache
}

// ServesRoot tells the server that an Extra route handles "/".
func (s *Server) ServesRoot() { s.hasRoot = true }

func (s *Server) cache() *respCache {
	s.init()
	return s.resps
}

func (s *Server) init() {
	s.once.Do(func() {
		s.resps = newRespCache(256)
		if s.Metrics == nil {
			s.Metrics = metrics.NewRegistry()
		}
		s.m = newServerMetrics(s.Metrics)
	})
}

func (s *Server) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

// Run serves on addr until ctx is cancelled, then shuts down gracefully, letting
// in-flight requests (and their writes) finish for up to 10 seconds. ready, if
// not nil, receives the bound address once listening.
func (s *Server) Run(ctx context.Context, addr string, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log().Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr())
	}
	s.log().Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.log().Info("stopped")
	return nil
}

// writeError maps store errors to HTTP statuses.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, http.StatusNotFound, err.Error())
	case errors.Is(err, store.ErrCursor):
		writeProblem(w, http.StatusBadRequest, "invalid cursor: use the next value of a previous page with the same query")
	case errors.Is(err, store.ErrExists):
		writeProblem(w, http.StatusConflict, err.Error())
	case errors.Is(err, context.Canceled):
		writeProblem(w, 499, "request cancelled")
	default:
		s.log().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeProblem(w, http.StatusInternalServerError, "internal error; see the server log")
	}
}

// requireToken guards write endpoints with the bearer token.
func (s *Server) requireToken(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.Token)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="vantage"`)
				writeProblem(w, http.StatusUnauthorized, "this endpoint needs the bearer token (VANTAGE_TOKEN)")
				return
			}
		}
		h(w, r)
	}
}

// logRequests logs each request with its status and duration.
func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				s.log().Error("panic in handler", "path", r.URL.Path, "panic", v)
				if !sw.wrote {
					writeProblem(sw, http.StatusInternalServerError, "internal error")
				}
			}
			s.log().Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
		}()
		h.ServeHTTP(sw, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// writeProblem, writeJSON and allowParams follow the shared conventions.
var (
	writeProblem = httpjson.WriteProblem
	writeJSON    = httpjson.WriteJSON
	allowParams  = httpjson.AllowParams
)
