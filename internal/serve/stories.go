package serve

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/topics"
)

// params reads and validates the query parameters the story routes share.
type params struct {
	reader    *lens.Reader
	interests []string
	since     time.Time     // absolute, for store queries
	span      time.Duration // relative to the newest story, for briefs
	limit     int
	tier      lens.Tier
	cursor    string
}

// readParams validates the known parameters of r; it writes the problem and
// returns false on bad input.
func (s *Server) readParams(w http.ResponseWriter, r *http.Request) (params, bool) {
	v := r.URL.Query()
	var p params
	if q := strings.TrimSpace(v.Get("place")); q != "" {
		if s.Lens == nil {
			writeProblem(w, http.StatusServiceUnavailable, "places are not available on this server")
			return p, false
		}
		rd, err := lens.ResolvePlace(s.Lens.G, q)
		if err != nil {
			var pe *lens.PlaceError
			status := http.StatusBadRequest
			if errors.As(err, &pe) && len(pe.Candidates) == 0 {
				status = http.StatusNotFound
			}
			writeProblem(w, status, err.Error())
			return p, false
		}
		p.reader = rd
	}
	if t := strings.TrimSpace(v.Get("topics")); t != "" {
		known := map[string]bool{}
		for _, sl := range topics.Taxonomy() {
			known[sl.Slug] = true
		}
		for _, x := range strings.Split(t, ",") {
			if x = strings.TrimSpace(x); x == "" {
				continue
			}
			if !known[x] {
				writeProblem(w, http.StatusBadRequest, fmt.Sprintf("unknown topic %q (see /api/v1/topics)", x))
				return p, false
			}
			p.interests = append(p.interests, x)
		}
	}
	if sv := v.Get("since"); sv != "" {
		t, err := parseSince(sv, time.Now())
		if err != nil {
			writeProblem(w, http.StatusBadRequest, err.Error())
			return p, false
		}
		p.since = t
		if d, ok := relativeSpan(sv); ok {
			p.span = d
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			writeProblem(w, http.StatusBadRequest, "limit must be an integer from 1 to 500")
			return p, false
		}
		p.limit = n
	}
	if t := v.Get("tier"); t != "" {
		tier, err := lens.ParseTier(t)
		if err != nil {
			writeProblem(w, http.StatusBadRequest, err.Error())
			return p, false
		}
		if p.reader == nil {
			writeProblem(w, http.StatusBadRequest, "tier needs a place")
			return p, false
		}
		p.tier = tier
	}
	p.cursor = v.Get("cursor")
	return p, true
}

// relativeSpan reads "48h" or "7d" as a span (not a date).
func relativeSpan(v string) (time.Duration, bool) {
	if d, ok := strings.CutSuffix(v, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return time.Duration(n) * 24 * time.Hour, true
		}
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return d, true
	}
	return 0, false
}

// storyWithLens is a story and, when a place was asked for, its lens.
type storyWithLens struct {
	article.Story
	Lens *lens.Lens `json:"lens,omitempty"`
}

func (s *Server) listStories(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "place", "topics", "since", "limit", "cursor", "tier", "country") {
		return
	}
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	q := store.StoryQuery{Since: p.since, Topics: p.interests, Limit: p.limit, Cursor: p.cursor}
	for _, c := range strings.Split(r.URL.Query().Get("country"), ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			if len(c) != 2 {
				writeProblem(w, http.StatusBadRequest, fmt.Sprintf("country %q: use ISO 3166-1 alpha-2 codes", c))
				return
			}
			q.Countries = append(q.Countries, c)
		}
	}
	page, err := s.Store.Stories(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Stories []storyWithLens `json:"stories"`
		Next    string          `json:"next,omitempty"`
	}{Stories: []storyWithLens{}, Next: page.Next}
	for i := range page.Stories {
		st := &page.Stories[i]
		item := storyWithLens{Story: *st}
		if p.reader != nil {
			l := s.Lens.Lens(r.Context(), st, p.reader, p.interests)
			if p.tier != "" && tierRank(l.Tier) > tierRank(p.tier) {
				continue
			}
			item.Lens = &l
		}
		out.Stories = append(out.Stories, item)
	}
	writeJSON(w, http.StatusOK, out)
}

func tierRank(t lens.Tier) int {
	for i, x := range lens.Tiers {
		if x == t {
			return i
		}
	}
	return len(lens.Tiers)
}

func (s *Server) getStory(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "place", "topics") {
		return
	}
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	st, err := s.Store.Story(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	item := storyWithLens{Story: *st}
	if p.reader != nil {
		l := s.Lens.Lens(r.Context(), st, p.reader, p.interests)
		item.Lens = &l
	}
	writeJSON(w, http.StatusOK, item)
}

func (s *Server) storyLens(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "place", "topics") {
		return
	}
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	if p.reader == nil {
		writeProblem(w, http.StatusBadRequest, "place is required")
		return
	}
	st, err := s.Store.Story(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.Lens.Lens(r.Context(), st, p.reader, p.interests))
}

func (s *Server) brief(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "place", "topics", "since", "limit", "tier", "unaffected") {
		return
	}
	if s.Lens == nil {
		writeProblem(w, http.StatusServiceUnavailable, "briefings are not available on this server")
		return
	}
	key := "brief?" + r.URL.Query().Encode()
	if body, ok := s.cache().get(key, s.Lens.Index.Version()); ok {
		writeRawJSON(w, http.StatusOK, body)
		return
	}
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	if p.reader == nil {
		writeProblem(w, http.StatusBadRequest, "place is required (a name, \"Name, Country\", a GeoNames ID or lat,lon)")
		return
	}
	if r.URL.Query().Get("since") != "" && p.span == 0 {
		writeProblem(w, http.StatusBadRequest, "since for a brief is a span back from the newest story, like 48h or 7d")
		return
	}
	q := lens.Query{Reader: p.reader, Interests: p.interests, Since: p.span, Limit: p.limit, MinTier: p.tier}
	if u := r.URL.Query().Get("unaffected"); u != "" {
		n, err := strconv.Atoi(u)
		if err != nil || n < 0 || n > 50 {
			writeProblem(w, http.StatusBadRequest, "unaffected must be an integer from 0 to 50")
			return
		}
		q.Unaffected = n
		if n == 0 {
			q.Unaffected = -1
		}
	}
	version := s.Lens.Index.Version()
	b, err := s.Lens.Brief(r.Context(), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body := marshalJSON(b)
	s.cache().put(key, version, body)
	writeRawJSON(w, http.StatusOK, body)
}
