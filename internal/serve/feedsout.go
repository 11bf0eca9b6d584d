package serve

import (
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
)

// baseURL is the server's own origin as the client reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// placeFeed serves /feeds/place/{id}.atom and /feeds/place/{id}.json: the
// briefing of a place as a feed, each entry carrying its lens.
func (s *Server) placeFeed(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "topics", "limit") {
		return
	}
	if s.Lens == nil {
		writeProblem(w, http.StatusServiceUnavailable, "feeds are not available on this server")
		return
	}
	file := r.PathValue("file")
	idText, format, ok := strings.Cut(file, ".")
	if !ok || (format != "atom" && format != "json") {
		writeProblem(w, http.StatusNotFound, "feeds are /feeds/place/{geonameid}.atom or .json")
		return
	}
	if _, err := strconv.ParseInt(idText, 10, 64); err != nil {
		writeProblem(w, http.StatusNotFound, "feeds are /feeds/place/{geonameid}.atom or .json")
		return
	}
	q := r.URL.Query()
	q.Set("place", idText)
	r.URL.RawQuery = q.Encode()
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	limit := p.limit
	if limit == 0 {
		limit = 30
	}
	b, err := s.Lens.Brief(r.Context(), lens.Query{Reader: p.reader, Interests: p.interests, Limit: limit, Unaffected: -1})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	base := baseURL(r)
	self := base + r.URL.Path
	if t := r.URL.Query().Get("topics"); t != "" {
		self += "?topics=" + url.QueryEscape(t)
	}
	title := "Vantage: news for " + b.Place
	if len(p.interests) > 0 {
		title += " (" + strings.Join(p.interests, ", ") + ")"
	}
	storyURL := func(id string) string {
		return base + "/stories/" + url.PathEscape(id) + "?place=" + idText
	}
	updated := func(st *article.Story) time.Time {
		switch {
		case !st.LastSeen.IsZero():
			return st.LastSeen
		case !st.Updated.IsZero():
			return st.Updated
		}
		return time.Unix(0, 0).UTC()
	}
	if format == "json" {
		type item struct {
			ID            string    `json:"id"`
			URL           string    `json:"url"`
			Title         string    `json:"title"`
			ContentText   string    `json:"content_text"`
			Summary       string    `json:"summary,omitempty"`
			DatePublished string    `json:"date_published,omitempty"`
			DateModified  string    `json:"date_modified,omitempty"`
			Tags          []string  `json:"tags,omitempty"`
			Lens          lens.Lens `json:"_vantage_lens"`
		}
		feed := struct {
			Version     string `json:"version"`
			Title       string `json:"title"`
			HomePageURL string `json:"home_page_url"`
			FeedURL     string `json:"feed_url"`
			Items       []item `json:"items"`
		}{Version: "https://jsonfeed.org/version/1.1", Title: title, HomePageURL: base + "/?place=" + idText, FeedURL: self, Items: []item{}}
		for _, it := range b.Items {
			st := it.Story
			var tags []string
			for _, t := range st.Topics {
				tags = append(tags, t.Slug)
			}
			i := item{ID: "urn:vantage:story:" + st.ID, URL: storyURL(st.ID), Title: st.Headline,
				ContentText: it.Lens.Text + "\n\n" + st.Summary, Summary: it.Lens.Text, Tags: tags, Lens: it.Lens,
				DateModified: updated(st).Format(time.RFC3339)}
			if !st.FirstSeen.IsZero() {
				i.DatePublished = st.FirstSeen.Format(time.RFC3339)
			}
			feed.Items = append(feed.Items, i)
		}
		w.Header().Set("Content-Type", "application/feed+json; charset=utf-8")
		w.Write(marshalJSON(feed))
		return
	}
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
	}
	type text struct {
		Type string `xml:"type,attr,omitempty"`
		Body string `xml:",chardata"`
	}
	type category struct {
		Term string `xml:"term,attr"`
	}
	type entry struct {
		ID         string     `xml:"id"`
		Title      string     `xml:"title"`
		Updated    string     `xml:"updated"`
		Published  string     `xml:"published,omitempty"`
		Link       link       `xml:"link"`
		Summary    text       `xml:"summary"`
		Content    text       `xml:"content"`
		Categories []category `xml:"category"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links     []link  `xml:"link"`
		Generator string  `xml:"generator"`
		Entries   []entry `xml:"entry"`
	}
	f := feed{ID: "urn:vantage:place:" + idText + ":" + strings.Join(p.interests, ","), Title: title, Generator: "Vantage",
		Links: []link{{Href: self, Rel: "self", Type: "application/atom+xml"}, {Href: base + "/?place=" + idText, Rel: "alternate", Type: "text/html"}}}
	f.Author.Name = "Vantage"
	newest := time.Unix(0, 0).UTC()
	for _, it := range b.Items {
		st := it.Story
		u := updated(st)
		if u.After(newest) {
			newest = u
		}
		var html strings.Builder
		fmt.Fprintf(&html, "<p><strong>%s</strong> (%s)</p><p>%s</p><ul>", escapeHTML(it.Lens.Text), escapeHTML(string(it.Lens.Tier)), escapeHTML(st.Summary))
		for _, ev := range it.Lens.Evidence {
			fmt.Fprintf(&html, "<li>%s: %s</li>", escapeHTML(ev.Kind), escapeHTML(ev.Text))
		}
		html.WriteString("</ul>")
		e := entry{ID: "urn:vantage:story:" + st.ID, Title: st.Headline, Updated: u.Format(time.RFC3339),
			Link: link{Href: storyURL(st.ID), Rel: "alternate", Type: "text/html"}, Summary: text{Type: "text", Body: it.Lens.Text},
			Content: text{Type: "html", Body: html.String()}}
		if !st.FirstSeen.IsZero() {
			e.Published = st.FirstSeen.Format(time.RFC3339)
		}
		for _, t := range st.Topics {
			e.Categories = append(e.Categories, category{t.Slug})
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = newest.Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(out)
	w.Write([]byte("\n"))
}

func escapeHTML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// exportStories serves /api/v1/exports/stories.csv and .geojson: stories
// with their focus places for spreadsheets and GIS tools.
func (s *Server) exportStories(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "place", "topics", "since", "limit", "country") {
		return
	}
	format := r.PathValue("format")
	if format != "stories.csv" && format != "stories.geojson" {
		writeProblem(w, http.StatusNotFound, "exports are /api/v1/exports/stories.csv and stories.geojson")
		return
	}
	p, ok := s.readParams(w, r)
	if !ok {
		return
	}
	limit := p.limit
	if limit == 0 {
		limit = 500
	}
	q := store.StoryQuery{Since: p.since, Topics: p.interests, Limit: min(limit, 500)}
	for _, c := range strings.Split(r.URL.Query().Get("country"), ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			q.Countries = append(q.Countries, c)
		}
	}
	var sts []article.Story
	for len(sts) < limit {
		page, err := s.Store.Stories(r.Context(), q)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		sts = append(sts, page.Stories...)
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	if len(sts) > limit {
		sts = sts[:limit]
	}
	lensOf := func(st *article.Story) *lens.Lens {
		if p.reader == nil {
			return nil
		}
		l := s.Lens.Lens(r.Context(), st, p.reader, p.interests)
		return &l
	}
	if format == "stories.csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="stories.csv"`)
		cw := csv.NewWriter(w)
		cw.Write([]string{"story_id", "headline", "first_seen", "last_seen", "articles", "independent_sources", "topics", "focus_countries", "focus_places", "tier", "km", "lens"})
		for i := range sts {
			st := &sts[i]
			var ts, cs, ps []string
			for _, t := range st.Topics {
				ts = append(ts, t.Slug)
			}
			for _, f := range st.Focus {
				entry := fmt.Sprintf("%s:%d:%.3f", f.Name, f.GeonameID, f.Weight)
				if f.Kind == "country" {
					cs = append(cs, f.Country+":"+strconv.FormatFloat(f.Weight, 'f', 3, 64))
				} else {
					ps = append(ps, entry)
				}
			}
			row := []string{st.ID, st.Headline, timeCell(st.FirstSeen), timeCell(st.LastSeen), strconv.Itoa(st.ArticleCount),
				strconv.Itoa(st.IndependentSourceCount), strings.Join(ts, ";"), strings.Join(cs, ";"), strings.Join(ps, ";"), "", "", ""}
			if l := lensOf(st); l != nil {
				row[9], row[11] = string(l.Tier), l.Text
				if l.Km != nil {
					row[10] = strconv.FormatFloat(*l.Km, 'f', 0, 64)
				}
			}
			cw.Write(row)
		}
		cw.Flush()
		return
	}
	type feature struct {
		Type     string         `json:"type"`
		Geometry map[string]any `json:"geometry"`
		Props    map[string]any `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	g := s.Lens.G
	for i := range sts {
		st := &sts[i]
		l := lensOf(st)
		for _, f := range st.Focus {
			pl, ok := g.Place(f.GeonameID)
			if !ok || !pl.HasPoint() {
				continue
			}
			props := map[string]any{"story_id": st.ID, "headline": st.Headline, "place": f.Name, "geonameid": f.GeonameID,
				"level": f.Kind, "country": f.Country, "weight": f.Weight, "last_seen": timeCell(st.LastSeen),
				"independent_sources": st.IndependentSourceCount}
			if l != nil {
				props["tier"] = l.Tier
			}
			fc.Features = append(fc.Features, feature{Type: "Feature",
				Geometry: map[string]any{"type": "Point", "coordinates": []float64{pl.Lon, pl.Lat}}, Props: props})
		}
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Write(marshalJSON(fc))
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
