package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/maps"
)

type storyData struct {
	Story    *article.Story
	Sources  []article.StorySource // by publication time
	Focus    []focusView
	Places   []placeRef
	People   []article.StoryEntity
	Orgs     []article.StoryEntity
	Topics   []article.Topic
	Place    string // the place field
	PlaceKey string
	Interest []string
	Reader   *lens.Reader
	Problem  *placeProblem
	Lens     *lens.Lens
	Map      template.HTML
	Borders  bool // the map highlights borders
	Line     bool // the map draws a distance line
	BriefURL string
	Alerts   []storyAlert // alerts sent for the story
}

type focusView struct {
	Name, Kind, Country string
	Weight              float64
	URL                 string
}

type placeRef struct {
	Name, Kind, Country string
	Mentions            int
	URL                 string
}

func (s *Site) story(w http.ResponseWriter, r *http.Request) (*view, error) {
	id := r.PathValue("id")
	st, err := s.Store.Story(r.Context(), id)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if st.ID != id { // merged into another story
		u := "/stories/" + url.PathEscape(st.ID)
		if enc := q.Encode(); enc != "" {
			u += "?" + enc
		}
		http.Redirect(w, r, u, http.StatusMovedPermanently)
		return nil, nil
	}
	g := s.gaz()
	d := &storyData{Story: st, Topics: st.Topics, Interest: interests(q["topics"])}
	d.Place = strings.TrimSpace(q.Get("place"))
	if _, ok := q["place"]; !ok {
		if c, err := r.Cookie(cookiePlace); err == nil {
			if v, err := url.QueryUnescape(c.Value); err == nil {
				d.Place = strings.TrimSpace(v)
			}
		}
	}
	d.Sources = slices.Clone(st.Sources)
	slices.SortStableFunc(d.Sources, func(a, b article.StorySource) int {
		switch {
		case a.Published.IsZero() != b.Published.IsZero():
			if a.Published.IsZero() {
				return 1
			}
			return -1
		}
		return a.Published.Compare(b.Published)
	})
	for _, f := range st.Focus {
		fv := focusView{Name: f.Name, Kind: f.Kind, Country: f.Country, Weight: f.Weight}
		if f.GeonameID != 0 {
			fv.URL = "/places/" + strconv.FormatInt(f.GeonameID, 10)
		}
		if c, ok := g.Country(f.Country); ok && f.Kind != "country" {
			fv.Country = c.Name
		} else if f.Kind == "country" {
			fv.Country = ""
		}
		d.Focus = append(d.Focus, fv)
	}
	for _, p := range st.Places {
		pr := placeRef{Name: p.Name, Kind: p.Kind, Mentions: p.Mentions}
		if p.GeonameID != 0 {
			pr.URL = "/places/" + strconv.FormatInt(p.GeonameID, 10)
		}
		if c, ok := g.Country(p.Country); ok && p.Kind != "country" {
			pr.Country = c.Name
		}
		d.Places = append(d.Places, pr)
	}
	for _, e := range st.Entities {
		if c, ok := g.Country(e.Country); ok {
			e.Country = c.Name
		}
		if e.Type == "PER" {
			d.People = append(d.People, e)
		} else {
			d.Orgs = append(d.Orgs, e)
		}
	}
	if d.Place != "" {
		reader, problem := s.resolve(d.Place, func(pid string) string { return storyURL(st.ID, pid, d.Interest) })
		if problem != nil {
			d.Problem = problem
		} else {
			d.Reader = reader
			d.PlaceKey = readerKey(reader, d.Place)
			d.Place = placeInput(g, reader, d.Place)
			l := s.Lens.Lens(r.Context(), st, reader, d.Interest)
			d.Lens = &l
			d.BriefURL = briefURL(d.PlaceKey, d.Interest)
		}
	}
	spec := storyMap(g, st, d.Reader, d.Lens)
	d.Borders, d.Line = len(spec.Borders) > 0, len(spec.Lines) > 0
	var b bytes.Buffer
	if err := maps.Render(&b, g, spec); err != nil {
		return nil, err
	}
	d.Map = template.HTML(b.String()) // maps.Render escapes all text it writes
	d.Alerts = s.storyAlerts(r.Context(), append([]string{st.ID}, st.Merged...))
	return &view{Name: "story", Title: st.Headline, Data: d}, nil
}

// storyMap shades the story's focus countries by weight, marks its focus
// cities and, with a reader, outlines the reader's countries, marks the
// reader's place, highlights the borders the lens cites and draws the line
// to the nearest point of the focus geometry the lens measured.
func storyMap(g *gazetteer.Gazetteer, st *article.Story, rd *lens.Reader, l *lens.Lens) maps.Spec {
	spec := maps.Spec{Width: 640, Height: 400, Shade: map[string]float64{}}
	cw := st.FocusCountries()
	var names []string
	for i, c := range cw {
		if i >= 8 || c.Weight < 0.05 || c.Weight < cw[0].Weight/10 {
			break
		}
		spec.Shade[c.Country] = min(1, c.Weight)
		if ctry, ok := g.Country(c.Country); ok {
			names = append(names, ctry.Name)
		}
	}
	cities := 0
	for _, f := range st.Focus {
		if f.Kind != "city" || f.Weight < 0.2 || cities == 4 {
			continue
		}
		if p, ok := g.Place(f.GeonameID); ok && p.HasPoint() {
			if _, shaded := spec.Shade[p.Country]; shaded || len(spec.Shade) == 0 {
				spec.Markers = append(spec.Markers, maps.Marker{Lat: p.Lat, Lon: p.Lon, Label: p.Name, Kind: maps.MarkerPlace})
				cities++
			}
		}
	}
	spec.Title = "Map of the story"
	if len(names) > 0 {
		spec.Title = "Map of the story: " + strings.Join(names, ", ") + " shaded by focus"
	}
	if rd == nil {
		return spec
	}
	spec.Outline = slices.Clone(rd.Countries)
	p := rd.Place
	point := p != nil && p.HasPoint() && p.Kind != gazetteer.KindCountry && p.Kind != gazetteer.KindRegion && p.Kind != gazetteer.KindContinent
	if point {
		// a reader's city replaces a focus marker of the same place
		spec.Markers = slices.DeleteFunc(spec.Markers, func(m maps.Marker) bool {
			return gazetteer.DistanceKm(m.Lat, m.Lon, p.Lat, p.Lon) < 25
		})
		spec.Markers = append(spec.Markers, maps.Marker{Lat: p.Lat, Lon: p.Lon, Label: rd.Label, Kind: maps.MarkerReader})
		spec.Title += "; " + rd.Label + " marked"
	}
	if l == nil {
		return spec
	}
	addBorder := func(a, b string) {
		pair := [2]string{a, b}
		if !slices.Contains(spec.Borders, pair) && !slices.Contains(spec.Borders, [2]string{b, a}) {
			spec.Borders = append(spec.Borders, pair)
		}
	}
	for _, e := range l.Evidence {
		switch {
		case e.Kind == "border" && len(e.Countries) == 2:
			addBorder(e.Countries[0], e.Countries[1])
		case e.Kind == "distance" && point:
			var to [2]float64
			ok := false
			switch e.Geometry {
			case "border":
				if len(e.Countries) == 2 {
					addBorder(e.Countries[0], e.Countries[1])
					var lat, lon float64
					lat, lon, _, ok = maps.NearestBorderPoint(g, e.Countries[0], e.Countries[1], p.Lat, p.Lon)
					to = [2]float64{lat, lon}
				}
			case "country":
				if len(e.Countries) == 1 {
					var lat, lon float64
					lat, lon, _, ok = g.NearestPointOnCountry(e.Countries[0], p.Lat, p.Lon)
					to = [2]float64{lat, lon}
				}
			case "city":
				if len(e.Places) > 0 {
					if c, found := g.Place(e.Places[len(e.Places)-1]); found && c.HasPoint() {
						to, ok = [2]float64{c.Lat, c.Lon}, true
					}
				}
			}
			if ok && e.Km > 0 {
				spec.Lines = append(spec.Lines, maps.Line{From: [2]float64{p.Lat, p.Lon}, To: to, Label: maps.FormatKm(e.Km)})
			}
		}
	}
	if len(spec.Lines) > 0 {
		spec.Title += ", with the distance to the story's ground"
	}
	return spec
}
