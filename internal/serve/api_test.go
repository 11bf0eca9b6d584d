package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/vantage-news/vantage/internal/alerts"
	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/demo"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store/sqlite"
	"github.com/vantage-news/vantage/internal/topics"
)

// fullServer serves the bundled demo sample, analysed, clustered and
// indexed by the real pipeline, from a real SQLite file.
func fullServer(t *testing.T, token string) (*httptest.Server, *Server) {
	t.Helper()
	ctx := context.Background()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ans, err := pipeline.Standard(g)
	if err != nil {
		t.Fatal(err)
	}
	en := &lens.Engine{G: g, Index: lens.NewIndex(g), Stories: db}
	p := &pipeline.Pipeline{Store: db, Stories: cluster.NewTracker(cluster.Options{}),
		Analysers: ans}
	p.OnStories = func(_ context.Context, sts []article.Story) { en.Index.Upsert(sts...) }
	s := &Server{Store: db, Pipeline: p, Token: token, Version: "test", Lens: en, CORSOrigins: []string{"https://app.example"}}
	notifier := &alerts.Notifier{Store: db, Lens: en}
	s.Extra = append(s.Extra, notifier.Routes)
	p.Observe = s.ObserveAnalysis
	if _, err := p.Run(ctx, ingest.JSONLines(ctx, demo.Sample(), "sample", ingest.Options{})); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, s
}

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v: %.300s", u, err, b)
		}
	}
	return resp.StatusCode
}

func TestBriefAPI(t *testing.T) {
	ts, _ := fullServer(t, "")
	var b lens.Brief
	u := ts.URL + "/api/v1/brief?place=Istanbul&topics=politics,disaster-accident&limit=5"
	if code := getJSON(t, u, &b); code != 200 {
		t.Fatalf("brief: %d", code)
	}
	if b.Place != "Istanbul" || len(b.Items) == 0 || b.Items[0].Lens.Text == "" || len(b.Items[0].Lens.Evidence) == 0 {
		t.Fatalf("brief %+v", b)
	}
	// The sample's Turkey–Syria earthquake is Turkish news for Istanbul.
	found := false
	for _, it := range b.Items {
		if strings.Contains(strings.ToLower(it.Story.Headline), "quake") && (it.Lens.Tier == lens.National || it.Lens.Tier == lens.Here) {
			found = true
		}
	}
	if !found {
		t.Errorf("no national earthquake story for Istanbul in %d items", len(b.Items))
	}
	// ETag and 304, gzip
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("no ETag or gzip: %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !json.Valid(plain) {
		t.Error("gzipped body is not JSON")
	}
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
	}
	for _, c := range []struct {
		query, want string
		code        int
	}{
		{"", "place is required", 400},
		{"place=Springfield", "ambiguous", 400},
		{"place=Qwxzzy", "unknown place", 404},
		{"place=Istanbul&topics=footbal", "unknown topic", 400},
		{"place=Istanbul&tier=close", "unknown tier", 400},
		{"place=Istanbul&limit=0", "limit", 400},
		{"place=Istanbul&since=2020-01-01", "span", 400},
		{"place=Istanbul&bogus=1", "unknown query parameter", 400},
	} {
		code, h, body := do(t, "GET", ts.URL+"/api/v1/brief?"+c.query, "", "")
		if code != c.code || !strings.Contains(body, c.want) || !strings.HasPrefix(h.Get("Content-Type"), "application/problem+json") {
			t.Errorf("brief?%s: %d %s, want %d with %q", c.query, code, body, c.code, c.want)
		}
	}
	var tiered lens.Brief
	getJSON(t, ts.URL+"/api/v1/brief?place=Istanbul&tier=neighbour&limit=50&unaffected=0", &tiered)
	for _, it := range tiered.Items {
		if slices.Index(lens.Tiers, it.Lens.Tier) > slices.Index(lens.Tiers, lens.Neighbour) {
			t.Errorf("tier filter let %s through", it.Lens.Tier)
		}
	}
}

func TestStoriesAPI(t *testing.T) {
	ts, _ := fullServer(t, "")
	var page struct {
		Stories []storyWithLens
		Next    string
	}
	if code := getJSON(t, ts.URL+"/api/v1/stories?limit=5&place=Istanbul", &page); code != 200 || len(page.Stories) != 5 || page.Next == "" {
		t.Fatalf("stories: %d, %d stories, next %q", code, len(page.Stories), page.Next)
	}
	for _, st := range page.Stories {
		if st.Lens == nil || st.Lens.StoryID != st.ID {
			t.Errorf("story %s has no lens", st.ID)
		}
	}
	var next struct{ Stories []storyWithLens }
	getJSON(t, ts.URL+"/api/v1/stories?limit=5&place=Istanbul&cursor="+url.QueryEscape(page.Next), &next)
	if len(next.Stories) == 0 || next.Stories[0].ID == page.Stories[0].ID {
		t.Error("the cursor does not move")
	}
	var tr struct{ Stories []storyWithLens }
	getJSON(t, ts.URL+"/api/v1/stories?country=TR&limit=50", &tr)
	if len(tr.Stories) == 0 {
		t.Fatal("no story focused on Turkey")
	}
	id := tr.Stories[0].ID
	var one storyWithLens
	if code := getJSON(t, ts.URL+"/api/v1/stories/"+id+"?place=Ankara", &one); code != 200 || one.ID != id || one.Lens == nil {
		t.Fatalf("story %s: %d %+v", id, code, one.Lens)
	}
	var l lens.Lens
	if code := getJSON(t, ts.URL+"/api/v1/stories/"+id+"/lens?place=Tokyo&topics=politics", &l); code != 200 || l.Place != "Tokyo" {
		t.Fatalf("lens: %d %+v", code, l)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/api/v1/stories/s-nothere", "", ""); code != 404 {
		t.Errorf("missing story: %d", code)
	}
	if code, _, body := do(t, "GET", ts.URL+"/api/v1/stories/"+id+"/lens", "", ""); code != 400 || !strings.Contains(body, "place is required") {
		t.Errorf("lens without place: %d %s", code, body)
	}
}

func TestPlacesTopicsFeedsAPI(t *testing.T) {
	ts, _ := fullServer(t, "tok")
	var ps struct{ Places []placeJSON }
	if getJSON(t, ts.URL+"/api/v1/places?q=istanb", &ps); len(ps.Places) == 0 || ps.Places[0].Name != "Istanbul" {
		t.Errorf("place search: %+v", ps)
	}
	var p struct {
		placeJSON
		Neighbours []gazetteer.Border
	}
	if code := getJSON(t, ts.URL+"/api/v1/places/298795", &p); code != 200 || p.Name != "Turkey" || len(p.Neighbours) != 8 {
		t.Errorf("place 298795: %d %+v", code, p)
	}
	var tp struct{ Topics []topics.Slug }
	if getJSON(t, ts.URL+"/api/v1/topics", &tp); len(tp.Topics) < 20 {
		t.Errorf("%d topics", len(tp.Topics))
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/feeds", "", `{"url":"https://example.org/feed.xml"}`); code != 401 {
		t.Errorf("feed add without token: %d", code)
	}
	if code, _, body := do(t, "POST", ts.URL+"/api/v1/feeds", "tok", `{"url":"https://example.org/feed.xml","title":"Example"}`); code != 201 {
		t.Fatalf("feed add: %d %s", code, body)
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/feeds", "tok", `{"url":"https://example.org/feed.xml"}`); code != 409 {
		t.Errorf("feed added twice: %d", code)
	}
	if code, _, _ := do(t, "POST", ts.URL+"/api/v1/feeds", "tok", `{"url":"ftp://x"}`); code != 400 {
		t.Errorf("bad feed URL: %d", code)
	}
	var fs struct{ Feeds []json.RawMessage }
	if getJSON(t, ts.URL+"/api/v1/feeds", &fs); len(fs.Feeds) != 1 {
		t.Errorf("%d feeds", len(fs.Feeds))
	}
	if code, _, _ := do(t, "DELETE", ts.URL+"/api/v1/feeds/"+url.PathEscape("https://example.org/feed.xml"), "tok", ""); code != 204 {
		t.Errorf("feed remove: %d", code)
	}
}

func TestAtomAndJSONFeeds(t *testing.T) {
	ts, _ := fullServer(t, "")
	code, h, body := do(t, "GET", ts.URL+"/feeds/place/745044.atom?topics=politics", "", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("atom: %d %s", code, h.Get("Content-Type"))
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("atom does not parse: %v", err)
	}
	if f.FeedType != "atom" || len(f.Items) == 0 || !strings.Contains(f.Title, "Istanbul") {
		t.Fatalf("atom feed %s %q with %d items", f.FeedType, f.Title, len(f.Items))
	}
	for _, it := range f.Items {
		if it.GUID == "" || it.Title == "" || it.Description == "" || it.UpdatedParsed == nil || !strings.Contains(it.Link, "/stories/") {
			t.Errorf("incomplete entry %+v", it)
		}
	}
	// RFC 4287: atom:feed has id, title, updated, an author, a self link
	for _, want := range []string{"<id>urn:vantage:place:745044:politics</id>", "<updated>", "<author>", `rel="self"`} {
		if !strings.Contains(body, want) {
			t.Errorf("atom lacks %s", want)
		}
	}
	code, _, body = do(t, "GET", ts.URL+"/feeds/place/745044.json", "", "")
	jf, err := gofeed.NewParser().ParseString(body)
	if code != 200 || err != nil || jf.FeedType != "json" || len(jf.Items) == 0 {
		t.Fatalf("json feed: %d %v", code, err)
	}
	if code, _, _ := do(t, "GET", ts.URL+"/feeds/place/745044.rss", "", ""); code != 404 {
		t.Errorf("unknown feed format: %d", code)
	}
}

func TestExports(t *testing.T) {
	ts, _ := fullServer(t, "")
	code, _, body := do(t, "GET", ts.URL+"/api/v1/exports/stories.csv?place=Istanbul&limit=20", "", "")
	if code != 200 {
		t.Fatalf("csv: %d %s", code, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 21 || rows[0][0] != "story_id" || rows[1][9] == "" {
		t.Fatalf("csv rows %d, %v: %v", len(rows), err, rows[:min(2, len(rows))])
	}
	var fc struct {
		Type     string
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties map[string]any
		}
	}
	if code := getJSON(t, ts.URL+"/api/v1/exports/stories.geojson?limit=30", &fc); code != 200 || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Fatalf("geojson: %d %s %d", code, fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		c := f.Geometry.Coordinates
		if f.Geometry.Type != "Point" || len(c) != 2 || c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90 || f.Properties["story_id"] == "" {
			t.Errorf("bad feature %+v", f)
		}
	}
}

func TestMetricsAndCORS(t *testing.T) {
	ts, _ := fullServer(t, "")
	getJSON(t, ts.URL+"/api/v1/brief?place=Istanbul", nil)
	getJSON(t, ts.URL+"/api/v1/stories/none", nil)
	_, h, body := do(t, "GET", ts.URL+"/metrics", "", "")
	for _, want := range []string{
		`vantage_http_requests_total{route="GET /api/v1/brief",code="200"} 1`,
		`vantage_http_requests_total{route="GET /api/v1/stories/{id}",code="404"} 1`,
		`vantage_http_request_seconds_bucket{route="GET /api/v1/brief",le="+Inf"} 1`,
		"vantage_stories_indexed ",
		`vantage_analysis_seconds_count{analyser="geo"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if !strings.HasPrefix(h.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("metrics content type %s", h.Get("Content-Type"))
	}
	req, _ := http.NewRequest("OPTIONS", ts.URL+"/api/v1/feeds", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	req, _ = http.NewRequest("GET", ts.URL+"/api/v1/stats", nil)
	req.Header.Set("Origin", "https://evil.example")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS allowed an unlisted origin")
	}
}

// TestOpenAPIInSync checks that the OpenAPI document lists exactly the /api
// routes, and that every documented query parameter is accepted and any other
// rejected.
func TestOpenAPIInSync(t *testing.T) {
	ts, s := fullServer(t, "")
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if code := getJSON(t, ts.URL+"/api/v1/openapi.json", &doc); code != 200 || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: %d %s", code, doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, rt := range s.routes() {
		if strings.HasPrefix(rt.pattern, "/api/") {
			routes[strings.ToLower(rt.method)+" "+rt.pattern] = true
		}
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path] = true
			if routes[method+" "+path] {
				continue
			}
			// routes registered by an Extra (alerts) must answer, not 404 or 405
			u := strings.NewReplacer("{id}", "1").Replace(path)
			code, _, body := do(t, strings.ToUpper(method), ts.URL+u, "", "")
			if code == http.StatusNotFound && strings.Contains(body, "no such page") || code == http.StatusMethodNotAllowed {
				t.Errorf("documented but not served: %s %s (%d)", method, path, code)
			}
		}
	}
	for r := range routes {
		if !documented[r] {
			t.Errorf("served but not documented: %s", r)
		}
	}
	samples := map[string]string{"place": "Istanbul", "topics": "politics", "since": "7d", "limit": "2", "cursor": "",
		"tier": "distant", "country": "TR", "q": "earthquake", "unaffected": "1"}
	paths := map[string]string{"{id}": "x", "{format}": "stories.csv"}
	for path, ops := range doc.Paths {
		op, ok := ops["get"]
		if !ok {
			continue
		}
		u := path
		for k, v := range paths {
			u = strings.ReplaceAll(u, k, v)
		}
		if strings.Contains(path, "/stories/{id}") || strings.Contains(path, "/articles/{id}") || strings.Contains(path, "/places/{id}") || strings.Contains(path, "/alerts/{id}") {
			continue // path values make these 404 before parameters matter
		}
		q := url.Values{}
		for _, p := range op.Parameters {
			if p.In == "query" {
				q.Set(p.Name, samples[p.Name])
			}
		}
		code, _, body := do(t, "GET", ts.URL+u+"?"+q.Encode(), "", "")
		if code == 400 && strings.Contains(body, "unknown query parameter") {
			t.Errorf("GET %s rejects a documented parameter: %d %s", path, code, body)
		}
		q.Set("undocumented", "1")
		code, _, body = do(t, "GET", ts.URL+u+"?"+q.Encode(), "", "")
		if code != 400 || !strings.Contains(body, "unknown query parameter") {
			t.Errorf("GET %s accepts an undocumented parameter: %d", path, code)
		}
	}
}
