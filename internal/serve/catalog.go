package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/topics"
)

// placeJSON is a gazetteer entry as the API shows it.
type placeJSON struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Country     string   `json:"country,omitempty"`
	Lat         float64  `json:"lat"`
	Lon         float64  `json:"lon"`
	Population  int64    `json:"population,omitempty"`
	Members     []string `json:"members,omitempty"`
	Description string   `json:"description"`
}

func toPlaceJSON(g *gazetteer.Gazetteer, p *gazetteer.Place) placeJSON {
	return placeJSON{ID: p.ID, Name: p.Name, Kind: p.Kind.String(), Country: p.Country, Lat: p.Lat, Lon: p.Lon,
		Population: p.Population, Members: p.Members, Description: p.Describe(g)}
}

func (s *Server) searchPlaces(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "q", "limit") {
		return
	}
	if s.Lens == nil {
		writeProblem(w, http.StatusServiceUnavailable, "places are not available on this server")
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		writeProblem(w, http.StatusBadRequest, "q is required")
		return
	}
	limit := 10
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 50 {
			writeProblem(w, http.StatusBadRequest, "limit must be an integer from 1 to 50")
			return
		}
		limit = n
	}
	out := struct {
		Places []placeJSON `json:"places"`
	}{Places: []placeJSON{}}
	for _, p := range s.Lens.G.Search(q, limit) {
		out.Places = append(out.Places, toPlaceJSON(s.Lens.G, p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getPlace(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	if s.Lens == nil {
		writeProblem(w, http.StatusServiceUnavailable, "places are not available on this server")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "place id must be a GeoNames ID (an integer)")
		return
	}
	g := s.Lens.G
	p, ok := g.Place(id)
	if !ok {
		writeProblem(w, http.StatusNotFound, fmt.Sprintf("no place %d in the gazetteer", id))
		return
	}
	out := struct {
		placeJSON
		Neighbours []gazetteer.Border `json:"neighbours,omitempty"`
		Blocs      []string           `json:"blocs,omitempty"`
		Subregion  string             `json:"subregion,omitempty"`
	}{placeJSON: toPlaceJSON(g, p)}
	if p.Country != "" {
		out.Neighbours = g.Neighbours(p.Country)
		out.Subregion = g.Subregion(p.Country)
		for _, m := range g.Blocs(p.Country, timeNow()) {
			out.Blocs = append(out.Blocs, m.Bloc)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listTopics(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Topics []topics.Slug `json:"topics"`
	}{topics.Taxonomy()})
}

func (s *Server) listFeeds(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	fs, err := s.Store.Feeds(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if fs == nil {
		fs = []store.Feed{}
	}
	writeJSON(w, http.StatusOK, struct {
		Feeds []store.Feed `json:"feeds"`
	}{fs})
}

func (s *Server) addFeed(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	var sub struct {
		URL      string `json:"url"`
		Title    string `json:"title"`
		Category string `json:"category"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		writeProblem(w, http.StatusBadRequest, "body must be a JSON object {\"url\": …, \"title\": …, \"category\": …}: "+err.Error())
		return
	}
	u, err := url.Parse(strings.TrimSpace(sub.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		writeProblem(w, http.StatusBadRequest, "url must be an absolute http(s) URL")
		return
	}
	f, err := s.Store.AddFeed(r.Context(), feeds.Subscription{URL: u.String(), Title: sub.Title, Category: sub.Category})
	if err != nil {
		if errors.Is(err, store.ErrExists) {
			writeProblem(w, http.StatusConflict, "already subscribed to "+u.String())
			return
		}
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}

func (s *Server) removeFeed(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	if err := s.Store.RemoveFeed(r.Context(), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
