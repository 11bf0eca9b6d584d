package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
)

// placeProblem is a place that could not be resolved, for the page.
type placeProblem struct {
	Query      string
	Message    string
	Ambiguous  bool
	Candidates []candidate
}

type candidate struct {
	Text, URL string
}

// resolve finds the reader's place; link makes a candidate's link from its
// GeoNames ID.
func (s *Site) resolve(query string, link func(id string) string) (*lens.Reader, *placeProblem) {
	r, err := lens.ResolvePlace(s.gaz(), query)
	if err == nil {
		return r, nil
	}
	pp := &placeProblem{Query: query}
	var pe *lens.PlaceError
	if !errors.As(err, &pe) {
		pp.Message = "Enter a place: a city, region or country, a GeoNames ID, or a latitude,longitude."
		return nil, pp
	}
	list := pe.Suggestions
	if len(pe.Candidates) > 0 {
		pp.Ambiguous, list = true, pe.Candidates
		pp.Message = "There is more than one place of that name. Which one do you mean?"
	} else if len(list) > 0 {
		pp.Message = "No place of that name is known. Did you mean one of these?"
	} else {
		pp.Message = "No place of that name is known. Try a nearby city, the region or the country."
	}
	for _, p := range list {
		pp.Candidates = append(pp.Candidates, candidate{Text: p.Describe(s.gaz()), URL: link(strconv.FormatInt(p.ID, 10))})
	}
	return nil, pp
}

// placeInput is how a resolved place is written back in the place field:
// what the reader typed, unless that was a bare GeoNames ID, which becomes
// "Name, Country" when that names the same place.
func placeInput(g *gazetteer.Gazetteer, r *lens.Reader, query string) string {
	query = strings.TrimSpace(query)
	if _, err := strconv.ParseInt(query, 10, 64); err != nil || r.Place == nil {
		return query
	}
	name := r.Place.Name
	if r.Place.Kind != gazetteer.KindCountry && r.Place.Country != "" {
		if c, ok := g.Country(r.Place.Country); ok {
			name += ", " + c.Name
		}
	}
	if back, err := lens.ResolvePlace(g, name); err == nil && back.Place != nil && back.Place.ID == r.Place.ID {
		return name
	}
	return query
}

type topicChip struct {
	Slug, Name string
	Checked    bool
}

type briefData struct {
	Place    string // the place field
	Source   string // where the place came from: param, cookie, default or none
	Chips    []topicChip
	Topics   []string
	Problem  *placeProblem
	Reader   *lens.Reader
	PlaceKey string // the place in links
	Brief    *lens.Brief
	Items    []itemView
	Elsewise []itemView // largely unaffected
}

// itemView is one story of a list.
type itemView struct {
	Story  *article.Story
	Lens   *lens.Lens
	URL    string
	Topics []string
	N      int
	Level  int // heading level of the headline: 3 (default) or 4
}

// storyTopics are the topics worth showing on a story: those scored at least
// 0.35, at most four, strongest first (as stored).
func storyTopics(st *article.Story) []string {
	var out []string
	for _, t := range st.Topics {
		if t.Score >= 0.35 && len(out) < 4 {
			out = append(out, t.Slug)
		}
	}
	return out
}

func (s *Site) brief(w http.ResponseWriter, r *http.Request) (*view, error) {
	q := r.URL.Query()
	d := &briefData{Source: "param"}
	place, hasPlace := q["place"]
	var topicVals []string
	if tv, ok := q["topics"]; ok {
		topicVals = tv
	}
	switch {
	case hasPlace && strings.TrimSpace(strings.Join(place, "")) != "":
		d.Place = strings.TrimSpace(place[0])
	case hasPlace:
		d.Source = "none" // the reader cleared the field
	default:
		if c, err := r.Cookie(cookiePlace); err == nil {
			if v, err := url.QueryUnescape(c.Value); err == nil && strings.TrimSpace(v) != "" {
				d.Place, d.Source = v, "cookie"
			}
		}
		if d.Source == "param" && s.DefaultPlace != "" {
			d.Place, d.Source = s.DefaultPlace, "default"
		} else if d.Source == "param" {
			d.Source = "none"
		}
		if _, ok := q["topics"]; !ok && d.Source == "cookie" {
			if c, err := r.Cookie(cookieTopics); err == nil {
				if v, err := url.QueryUnescape(c.Value); err == nil {
					topicVals = []string{v}
				}
			}
		}
	}
	d.Topics = interests(topicVals)
	for _, t := range taxonomy {
		d.Chips = append(d.Chips, topicChip{Slug: t.Slug, Name: t.Name, Checked: contains(d.Topics, t.Slug)})
	}
	v := &view{Name: "brief", Title: "Briefing", Nav: "brief", Data: d}
	if d.Place == "" {
		return v, nil
	}
	reader, problem := s.resolve(d.Place, func(id string) string { return briefURL(id, d.Topics) })
	if problem != nil {
		d.Problem = problem
		if d.Source == "param" && !problem.Ambiguous {
			v.Status = http.StatusNotFound
		}
		v.Title = "Place not found"
		return v, nil
	}
	d.Reader = reader
	d.PlaceKey = readerKey(reader, d.Place)
	d.Place = placeInput(s.gaz(), reader, d.Place)
	b, err := s.engine().Brief(r.Context(), lens.Query{Reader: reader, Interests: d.Topics, Limit: 10})
	if err != nil {
		return nil, err
	}
	d.Brief = b
	for i := range b.Items {
		it := &b.Items[i]
		iv := itemView{Story: it.Story, Lens: &it.Lens, URL: storyURL(it.Story.ID, d.PlaceKey, d.Topics), Topics: storyTopics(it.Story)}
		if it.Unaffected {
			iv.N = len(d.Elsewise) + 1
			d.Elsewise = append(d.Elsewise, iv)
		} else {
			iv.N = len(d.Items) + 1
			d.Items = append(d.Items, iv)
		}
	}
	v.Title = "Briefing for " + reader.Label
	if d.Source == "param" {
		remember(w, d.Place, d.Topics)
	}
	return v, nil
}

// remember keeps the reader's choice in cookies for a year.
func remember(w http.ResponseWriter, place string, topics []string) {
	for name, val := range map[string]string{cookiePlace: place, cookieTopics: strings.Join(topics, ",")} {
		http.SetCookie(w, &http.Cookie{Name: name, Value: url.QueryEscape(val), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			SameSite: http.SameSiteLaxMode})
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
