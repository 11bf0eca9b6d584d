package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Store.Stats(r.Context()); err != nil {
		writeProblem(w, http.StatusServiceUnavailable, "store unavailable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	st, err := s.Store.Stats(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) listArticles(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "q", "limit", "cursor", "since") {
		return
	}
	v := r.URL.Query()
	q := store.ArticleQuery{Q: strings.TrimSpace(v.Get("q")), Cursor: v.Get("cursor")}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			writeProblem(w, http.StatusBadRequest, "limit must be an integer from 1 to 500")
			return
		}
		q.Limit = n
	}
	if sv := v.Get("since"); sv != "" {
		t, err := parseSince(sv, time.Now())
		if err != nil {
			writeProblem(w, http.StatusBadRequest, err.Error())
			return
		}
		q.Since = t
	}
	page, err := s.Store.Articles(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// parseSince accepts a duration back from now ("48h", "7d") or a time.
func parseSince(v string, now time.Time) (time.Time, error) {
	if d, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return now.Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := ingest.ParseTime(v); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("since %q: want a duration like 48h or 7d, or a date like 2024-05-01", v)
}

func (s *Server) getArticle(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	a, err := s.Store.Article(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// postArticles ingests a JSON object, a JSON array of objects, or JSON Lines, in
// the schema of `vantage ingest`.
func (s *Server) postArticles(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	if s.Pipeline == nil {
		writeProblem(w, http.StatusServiceUnavailable, "ingest is not enabled on this server")
		return
	}
	max := s.MaxPostBytes
	if max <= 0 {
		max = 16 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", max))
			return
		}
		writeProblem(w, http.StatusBadRequest, "could not read body: "+err.Error())
		return
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		writeProblem(w, http.StatusBadRequest, "empty body: send a JSON article, an array of them, or JSON Lines")
		return
	}
	var src iter.Seq[ingest.Record]
	if body[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(body, &raw); err != nil {
			writeProblem(w, http.StatusBadRequest, "malformed JSON array: "+err.Error())
			return
		}
		var lines bytes.Buffer
		for _, m := range raw {
			lines.Write(bytes.ReplaceAll(m, []byte("\n"), []byte(" ")))
			lines.WriteByte('\n')
		}
		body = lines.Bytes()
	}
	src = ingest.JSONLines(r.Context(), bytes.NewReader(body), "body", ingest.Options{})
	s.init()
	lines := float64(bytes.Count(body, []byte("\n")) + 1)
	s.m.queue.Add(lines)
	sum, err := s.Pipeline.Run(r.Context(), src)
	s.m.queue.Add(-lines)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if sum.Rejected > 0 && sum.New == 0 && sum.Duplicate == 0 {
		detail := "no article accepted: " + sum.String()
		if len(sum.Errors) > 0 {
			detail += "; first: " + sum.Errors[0]
		}
		writeProblem(w, http.StatusUnprocessableEntity, detail)
		return
	}
	status := http.StatusOK
	if sum.New > 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, sum)
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		writeProblem(w, http.StatusNotFound, "no such page: "+r.URL.Path)
		return
	}
	st, _ := s.Store.Stats(r.Context())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Vantage</title></head>
<body><main><h1>Vantage</h1><p>%d articles from %d sources, %d feeds.</p>
<ul><li><a href="/api/v1/articles">/api/v1/articles</a> — latest articles (JSON; <code>?q=</code> searches)</li>
<li><a href="/api/v1/stats">/api/v1/stats</a></li><li><a href="/healthz">/healthz</a></li></ul></main></body></html>`, st.Articles, st.Sources, st.Feeds)
}
