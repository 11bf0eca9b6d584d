package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/vantage-news/vantage/internal/alerts"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/demo"
	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
	"github.com/vantage-news/vantage/internal/topics"
)

// fixture is a store filled by the real pipeline over the bundled demo
// sample, and a lens engine whose index holds its stories. It is built once
// for the package's tests.
type fixture struct {
	db  store.Store
	eng *lens.Engine
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	fixDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fix != nil {
		fix.db.Close()
	}
	if fixDir != "" {
		os.RemoveAll(fixDir)
	}
	os.Exit(code)
}

func loadFixture(t *testing.T) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		ctx := context.Background()
		fixDir, fixErr = os.MkdirTemp("", "vantage-web-test-")
		if fixErr != nil {
			return
		}
		db, err := sqlite.Open(ctx, filepath.Join(fixDir, "web.db"))
		if err != nil {
			fixErr = err
			return
		}
		g, err := gazetteer.Default()
		if err != nil {
			fixErr = err
			return
		}
		gp, err := geo.New(g, geo.Options{})
		if err != nil {
			fixErr = err
			return
		}
		tm, err := topics.Default()
		if err != nil {
			fixErr = err
			return
		}
		ans := []pipeline.Analyser{geo.Analyser{P: gp}, entities.Analyser{X: entities.New(g)}, topics.Analyser{M: tm}}
		p := &pipeline.Pipeline{Store: db, Analysers: ans, Stories: cluster.NewTracker(cluster.Options{})}
		if _, err := p.Run(ctx, ingest.JSONLines(ctx, demo.Sample(), "sample", ingest.Options{})); err != nil {
			fixErr = err
			return
		}
		en := &lens.Engine{G: g, Index: lens.NewIndex(g)}
		if _, err := en.Index.Load(ctx, db, time.Time{}); err != nil {
			fixErr = err
			return
		}
		fix = &fixture{db: db, eng: en}
	})
	if fixErr != nil {
		t.Fatalf("fixture: %v", fixErr)
	}
	return fix
}

// newSite serves the pages over the fixture.
func newSite(t *testing.T, token string) (*httptest.Server, *fixture) {
	t.Helper()
	return newSiteWith(t, token, nil)
}

// newSiteWith is newSite with a chance to set more of the Site's fields.
func newSiteWith(t *testing.T, token string, set func(*Site)) (*httptest.Server, *fixture) {
	t.Helper()
	f := loadFixture(t)
	s := &Site{Store: f.db, Lens: f.eng, Token: token, Logger: slog.New(slog.DiscardHandler),
		Alerts: &alerts.Notifier{Store: f.db, Lens: f.eng}}
	if set != nil {
		set(s)
	}
	mux := http.NewServeMux()
	s.Register(mux)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts, f
}

type response struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func get(t *testing.T, client *http.Client, u string) response {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, client, req)
}

func do(t *testing.T, client *http.Client, req *http.Request) response {
	t.Helper()
	if client == nil {
		client = noRedirect
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		r.doc, err = html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("parse %s: %v", req.URL, err)
		}
	}
	return r
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// --- HTML helpers -------------------------------------------------------------

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// findAll returns the element nodes under n that match.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func class(c string) func(*html.Node) bool {
	return func(n *html.Node) bool { return hasClass(n, c) }
}

func text(n *html.Node) string {
	return strings.Join(strings.Fields(extract.NodeText(n)), " ")
}

// checkStructure checks what every page must have: one <h1>, a language,
// a label for every visible form field, alt on every image, a main landmark
// and an accessible name on every SVG image.
func checkStructure(t *testing.T, name string, doc *html.Node) {
	t.Helper()
	if h1 := findAll(doc, tag("h1")); len(h1) != 1 {
		t.Errorf("%s: %d <h1> elements, want 1", name, len(h1))
	}
	if hs := findAll(doc, tag("html")); len(hs) != 1 {
		t.Errorf("%s: no <html>", name)
	} else if l, _ := attr(hs[0], "lang"); l == "" {
		t.Errorf("%s: <html> has no lang", name)
	}
	if len(findAll(doc, tag("main"))) != 1 {
		t.Errorf("%s: want one <main>", name)
	}
	labels := map[string]bool{}
	for _, l := range findAll(doc, tag("label")) {
		if f, ok := attr(l, "for"); ok {
			labels[f] = true
		}
	}
	for _, in := range findAll(doc, func(n *html.Node) bool { return n.Data == "input" || n.Data == "select" || n.Data == "textarea" }) {
		typ, _ := attr(in, "type")
		if typ == "hidden" || typ == "submit" {
			continue
		}
		if in.Parent != nil && in.Parent.Data == "label" {
			continue // wrapped in its label
		}
		id, _ := attr(in, "id")
		if id == "" || !labels[id] {
			n, _ := attr(in, "name")
			t.Errorf("%s: input %q (id %q) has no label", name, n, id)
		}
	}
	for _, img := range findAll(doc, tag("img")) {
		if _, ok := attr(img, "alt"); !ok {
			t.Errorf("%s: <img> without alt", name)
		}
	}
	for _, svg := range findAll(doc, tag("svg")) {
		if r, _ := attr(svg, "role"); r != "img" {
			t.Errorf("%s: <svg> without role=img", name)
		}
		if len(findAll(svg, tag("title"))) == 0 {
			t.Errorf("%s: <svg> without a <title>", name)
		}
	}
	ids := map[string]bool{}
	for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
		id, _ := attr(n, "id")
		if ids[id] {
			t.Errorf("%s: duplicate id %q", name, id)
		}
		ids[id] = true
	}
}

// --- tests ----------------------------------------------------------------------

// firstStory returns the first story linked from the Istanbul briefing.
func briefStories(t *testing.T, doc *html.Node) []*html.Node {
	t.Helper()
	return findAll(doc, func(n *html.Node) bool { return n.Data == "li" && hasClass(n, "story") })
}

func TestPages(t *testing.T) {
	ts, f := newSite(t, "")
	ctx := context.Background()
	page, err := f.db.Stories(ctx, store.StoryQuery{Limit: 1})
	if err != nil || len(page.Stories) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	anyStory := page.Stories[0].ID
	tests := []struct {
		name, path string
		status     int
		contains   []string
	}{
		{"brief form", "/", 200, []string{`id="brief-form"`, `name="topics" value="politics"`, "Your briefing"}},
		{"brief Istanbul", "/?place=Istanbul&topics=politics", 200, []string{"Briefing for Istanbul", `class="lens-text"`, "Evidence ("}},
		{"brief comma topics", "/?place=Istanbul&topics=politics,diplomacy", 200, []string{"Briefing for Istanbul"}},
		{"brief ambiguous", "/?place=Springfield", 200, []string{"which place?", "/?place="}},
		{"brief unknown", "/?place=Qwxzvbnmplk", 404, []string{"place not found"}},
		{"story", "/stories/" + anyStory, 200, []string{"<svg", `role="img"`, "Sources"}},
		{"story with lens", "/stories/" + anyStory + "?place=Istanbul", 200, []string{"What it means for Istanbul", `class="lens-text"`, "vm-reader"}},
		{"story unknown place", "/stories/" + anyStory + "?place=Qwxzvbnmplk", 200, []string{"place not found"}},
		{"story missing", "/stories/s-000000000000", 404, []string{"Not Found"}},
		{"place Istanbul", "/places/745044", 200, []string{"Istanbul", "<svg", "Stories touching Istanbul", "Turkey"}},
		{"place Turkey", "/places/298795", 200, []string{"Land neighbours", "km of border", "NATO", "Western Asia"}},
		{"place missing", "/places/1", 404, []string{"No place has the GeoNames ID 1"}},
		{"place not a number", "/places/abc", 404, []string{"GeoNames ID"}},
		{"search form", "/search", 200, []string{`role="search"`}},
		{"search", "/search?q=earthquake", 200, []string{"<mark>", "/stories/"}},
		{"search nothing", "/search?q=zzqqxxyy", 200, []string{"No article matches"}},
		{"search bad date", "/search?q=x&since=yesterday", 400, []string{"year-month-day"}},
		{"search bad cursor", "/search?q=earthquake&cursor=garbage", 400, []string{"no longer valid"}},
		{"sources", "/sources", 200, []string{"Add a feed", "Import OPML", "export.opml"}},
		{"alerts", "/alerts", 200, []string{`id="alert-form"`, `name="webhook_url"`, `href="/alerts" aria-current="page"`}},
		{"alerts prefilled", "/alerts?place=745044", 200, []string{`value="Istanbul, Turkey"`}},
		{"unknown path", "/nope", 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, nil, ts.URL+tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s: status %d, want %d\n%.2000s", tc.path, r.status, tc.status, r.body)
			}
			for _, c := range tc.contains {
				if !strings.Contains(r.body, c) {
					t.Errorf("GET %s: body lacks %q", tc.path, c)
				}
			}
			if r.doc == nil {
				return
			}
			checkStructure(t, tc.name, r.doc)
			csp := r.header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("GET %s: CSP %q", tc.path, csp)
			}
			for _, s := range findAll(r.doc, tag("script")) {
				if src, _ := attr(s, "src"); !strings.HasPrefix(src, "/assets/") {
					t.Errorf("GET %s: script not from /assets/: %q", tc.path, src)
				}
			}
			for _, l := range findAll(r.doc, tag("link")) {
				if h, _ := attr(l, "href"); !strings.HasPrefix(h, "/") {
					t.Errorf("GET %s: external link %q", tc.path, h)
				}
			}
		})
	}
}

func TestBriefIstanbulHasLenses(t *testing.T) {
	ts, _ := newSite(t, "")
	r := get(t, nil, ts.URL+"/?place=Istanbul&topics=politics")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	items := briefStories(t, r.doc)
	if len(items) < 3 {
		t.Fatalf("%d stories in the Istanbul briefing, want at least 3", len(items))
	}
	tiers := map[string]int{}
	for i, it := range items {
		lensText := findAll(it, class("lens-text"))
		if len(lensText) != 1 || len(text(lensText[0])) < 30 {
			t.Errorf("story %d has no lens text", i)
		}
		badge := findAll(it, class("tier"))
		if len(badge) == 0 {
			t.Errorf("story %d has no tier badge", i)
		} else {
			tiers[text(badge[0])]++
		}
		links := findAll(it, func(n *html.Node) bool {
			h, _ := attr(n, "href")
			return n.Data == "a" && strings.HasPrefix(h, "/stories/")
		})
		if len(links) != 1 {
			t.Errorf("story %d: %d story links", i, len(links))
			continue
		}
		h, _ := attr(links[0], "href")
		u, _ := url.Parse(h)
		if u.Query().Get("place") != "745044" || u.Query().Get("topics") != "politics" {
			t.Errorf("story link %q does not carry the place and topics", h)
		}
		if len(findAll(it, tag("details"))) != 1 || len(findAll(it, tag("time"))) != 1 {
			t.Errorf("story %d lacks evidence details or a time", i)
		}
	}
	if tiers["distant"] == len(items) {
		t.Errorf("every story is distant from Istanbul: %v", tiers)
	}
	// the choice is remembered
	var place, topicsCookie string
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		switch c.Name {
		case cookiePlace:
			place, _ = url.QueryUnescape(c.Value)
		case cookieTopics:
			topicsCookie, _ = url.QueryUnescape(c.Value)
		}
	}
	if place != "Istanbul" || topicsCookie != "politics" {
		t.Errorf("cookies place=%q topics=%q", place, topicsCookie)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: cookiePlace, Value: url.QueryEscape("Istanbul")})
	req.AddCookie(&http.Cookie{Name: cookieTopics, Value: "politics"})
	again := do(t, nil, req)
	if !strings.Contains(again.body, "Briefing for Istanbul") || !strings.Contains(again.body, `value="politics" checked`) {
		t.Errorf("the remembered place and topics are not used")
	}
	if r.header.Get("Server-Timing") == "" {
		t.Errorf("no Server-Timing header")
	}
}

func TestStoryPageMap(t *testing.T) {
	ts, _ := newSite(t, "")
	brief := get(t, nil, ts.URL+"/?place=Istanbul&topics=politics")
	items := briefStories(t, brief.doc)
	if len(items) == 0 {
		t.Fatal("empty briefing")
	}
	checked := 0
	for _, it := range items {
		a := findAll(it, func(n *html.Node) bool { return n.Data == "a" })[0]
		href, _ := attr(a, "href")
		r := get(t, nil, ts.URL+href)
		if r.status != 200 {
			t.Fatalf("GET %s: %d", href, r.status)
		}
		checkStructure(t, href, r.doc)
		svgs := findAll(r.doc, tag("svg"))
		if len(svgs) != 1 {
			t.Fatalf("%s: %d <svg>, want 1 inline map", href, len(svgs))
		}
		svg := svgs[0]
		if role, _ := attr(svg, "role"); role != "img" {
			t.Errorf("%s: map role %q", href, role)
		}
		// the map's own <style> is allowed by its hash, nothing else inline
		styles := findAll(svg, tag("style"))
		if len(styles) != 1 {
			t.Fatalf("%s: %d <style> in the map", href, len(styles))
		}
		if raw := styles[0].FirstChild; raw == nil {
			t.Errorf("%s: empty map style", href)
		} else {
			h := sha256.Sum256([]byte(raw.Data))
			if want := "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"; !strings.Contains(r.header.Get("Content-Security-Policy"), want) {
				t.Errorf("%s: the CSP does not allow the map's style (%s): %s", href, want, r.header.Get("Content-Security-Policy"))
			}
		}
		shaded := findAll(svg, func(n *html.Node) bool { return n.Data == "path" && hasClass(n, "vm-shade") })
		if len(shaded) == 0 {
			t.Errorf("%s: no shaded focus country", href)
		}
		for _, p := range shaded {
			if fill, _ := attr(p, "fill"); !strings.HasPrefix(fill, "#") {
				t.Errorf("%s: shaded country without a fill", href)
			}
		}
		if len(findAll(svg, class("vm-reader"))) == 0 {
			t.Errorf("%s: Istanbul is not marked", href)
		}
		if len(findAll(r.doc, class("lens-text"))) != 1 {
			t.Errorf("%s: no lens", href)
		}
		if len(findAll(r.doc, class("timeline"))) != 1 {
			t.Errorf("%s: no source timeline", href)
		}
		// a neighbour story highlights the border; a distance is drawn as a labelled line
		body := r.body
		if strings.Contains(body, `<span class="ev-kind">border</span>`) && !strings.Contains(body, "vm-border") {
			t.Errorf("%s: the lens cites a border the map does not highlight", href)
		}
		if strings.Contains(body, `<span class="ev-kind">distance</span>`) && !strings.Contains(body, "vm-line") {
			t.Errorf("%s: the lens measures a distance the map does not draw", href)
		}
		checked++
		if checked == 4 {
			break
		}
	}
}

func TestEscaping(t *testing.T) {
	ts, f := newSite(t, "")
	hostile := `<script>alert("x")</script>"><img src=x onerror=alert(1)>`
	page, err := f.db.Stories(context.Background(), store.StoryQuery{Limit: 1})
	if err != nil || len(page.Stories) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	for _, path := range []string{
		"/stories/" + page.Stories[0].ID + "?place=" + url.QueryEscape(hostile) + "&topics=" + url.QueryEscape(hostile),
		"/search?since=" + url.QueryEscape(hostile),
		"/alerts?place=" + url.QueryEscape(hostile),
		"/?place=" + url.QueryEscape(hostile),
		"/search?q=" + url.QueryEscape(hostile),
		"/stories/" + url.PathEscape(hostile),
		"/?place=" + url.QueryEscape(hostile) + "&topics=" + url.QueryEscape(hostile),
	} {
		r := get(t, nil, ts.URL+path)
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
			t.Errorf("GET %s: hostile input reflected unescaped", path)
		}
		if r.doc != nil {
			for _, s := range findAll(r.doc, tag("script")) {
				if src, _ := attr(s, "src"); src == "" {
					t.Errorf("GET %s: an inline <script> got in", path)
				}
			}
			for _, n := range findAll(r.doc, func(*html.Node) bool { return true }) {
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("GET %s: event handler attribute %s", path, a.Key)
					}
				}
			}
		}
	}
	r := get(t, nil, ts.URL+"/?place="+url.QueryEscape(hostile))
	if !strings.Contains(r.body, "&lt;script&gt;") {
		t.Errorf("the hostile place is not shown escaped")
	}
}

func TestSourcesWrite(t *testing.T) {
	const token = "s3cret-token"
	ts, f := newSite(t, token)
	ctx := context.Background()
	form := func(vals url.Values, hdr map[string]string) *http.Request {
		req, _ := http.NewRequest("POST", ts.URL+"/sources/add", strings.NewReader(vals.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return req
	}
	own := ts.URL
	tests := []struct {
		name   string
		vals   url.Values
		hdr    map[string]string
		status int
	}{
		{"no token", url.Values{"url": {"https://a.example/feed"}}, map[string]string{"Origin": own}, 401},
		{"wrong token", url.Values{"url": {"https://a.example/feed"}, "token": {"nope"}}, map[string]string{"Origin": own}, 401},
		{"cross-site origin", url.Values{"url": {"https://a.example/feed"}, "token": {token}}, map[string]string{"Origin": "https://evil.example"}, 403},
		{"cross-site fetch", url.Values{"url": {"https://a.example/feed"}, "token": {token}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-site referer", url.Values{"url": {"https://a.example/feed"}, "token": {token}}, map[string]string{"Referer": "https://evil.example/x"}, 403},
		{"bad url", url.Values{"url": {"javascript:alert(1)"}, "token": {token}}, map[string]string{"Origin": own}, 400},
		{"token field", url.Values{"url": {"https://a.example/feed"}, "title": {"A <b>feed</b>"}, "token": {token}}, map[string]string{"Origin": own}, 303},
		{"again", url.Values{"url": {"https://a.example/feed"}, "token": {token}}, map[string]string{"Origin": own}, 409},
		{"bearer header", url.Values{"url": {"https://b.example/rss"}}, map[string]string{"Authorization": "Bearer " + token, "Referer": own + "/sources"}, 303},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, nil, form(tc.vals, tc.hdr))
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%.1500s", r.status, tc.status, r.body)
			}
			if r.status == 303 && r.header.Get("Location") != "/sources?done=added" {
				t.Errorf("redirect to %q", r.header.Get("Location"))
			}
		})
	}
	fs, err := f.db.Feeds(ctx)
	if err != nil || len(fs) != 2 {
		t.Fatalf("%d feeds stored, want 2 (%v)", len(fs), err)
	}
	// GET is not a write
	if r := get(t, nil, ts.URL+"/sources/add?url=https://c.example/"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /sources/add: %d", r.status)
	}
	list := get(t, nil, ts.URL+"/sources")
	checkStructure(t, "sources", list.doc)
	if !strings.Contains(list.body, "A &lt;b&gt;feed&lt;/b&gt;") || !strings.Contains(list.body, "not fetched yet") {
		t.Errorf("the feed list lacks the escaped title or the health")
	}

	// export, then import into an empty list
	exp := get(t, nil, ts.URL+"/sources/export.opml")
	if exp.status != 200 || !strings.Contains(exp.body, "https://a.example/feed") || !strings.Contains(exp.header.Get("Content-Type"), "opml") {
		t.Fatalf("export: %d %s", exp.status, exp.body)
	}
	for _, fd := range fs {
		req, _ := http.NewRequest("POST", ts.URL+"/sources/remove", strings.NewReader(url.Values{"id": {fmt.Sprint(fd.ID)}, "token": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := do(t, nil, req); r.status != 303 {
			t.Fatalf("remove %d: %d", fd.ID, r.status)
		}
	}
	req, _ := http.NewRequest("POST", ts.URL+"/sources/remove", strings.NewReader(url.Values{"id": {"999999"}, "token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := do(t, nil, req); r.status != 404 {
		t.Errorf("remove missing: %d", r.status)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("token", token)
	fw, _ := mw.CreateFormFile("opml", "feeds.opml")
	io.WriteString(fw, exp.body)
	mw.Close()
	req, _ = http.NewRequest("POST", ts.URL+"/sources/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", own)
	r := do(t, nil, req)
	if r.status != 303 || r.header.Get("Location") != "/sources?done=imported&added=2&skipped=0" {
		t.Fatalf("import: %d %q", r.status, r.header.Get("Location"))
	}
	if fs, _ := f.db.Feeds(ctx); len(fs) != 2 {
		t.Errorf("%d feeds after import, want 2", len(fs))
	}
	for _, fd := range fs {
		f.db.RemoveFeed(ctx, fmt.Sprint(fd.URL))
	}
}

func TestAssets(t *testing.T) {
	ts, _ := newSite(t, "")
	for _, a := range []struct{ path, ctype string }{
		{asset("site.css"), "text/css"}, {asset("site.js"), "javascript"}, {"/assets/icon.svg", "image/svg+xml"},
	} {
		r := get(t, nil, ts.URL+a.path)
		if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), a.ctype) {
			t.Errorf("GET %s: %d %s", a.path, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := get(t, nil, ts.URL+"/assets/nope.js"); r.status != 404 {
		t.Errorf("missing asset: %d", r.status)
	}
}

func TestSnippet(t *testing.T) {
	tests := []struct {
		text  string
		words []string
		want  string
	}{
		{"A strong earthquake struck.", []string{"earthquake"}, "A strong [earthquake] struck."},
		{"Earthquake! Another EARTHQUAKE.", []string{"earthquake"}, "[Earthquake]! Another [EARTHQUAKE]."},
		{"nothing here", []string{"quake"}, "nothing here"},
		{"İstanbul and Ankara", []string{"ankara"}, "İstanbul and Ankara"}, // lower-casing changes length: no marks
	}
	for _, tc := range tests {
		var b strings.Builder
		for _, s := range snippet(tc.text, tc.words, 200) {
			if s.Mark {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		if b.String() != tc.want {
			t.Errorf("snippet(%q) = %q, want %q", tc.text, b.String(), tc.want)
		}
	}
}

// TestPlaceTierGroups checks that the place page samples every tier rather
// than listing the stories of one.
func TestPlaceTierGroups(t *testing.T) {
	ts, _ := newSite(t, "")
	r := get(t, nil, ts.URL+"/places/2988507") // Paris
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	checkStructure(t, "place Paris", r.doc)
	heads := findAll(r.doc, func(n *html.Node) bool {
		id, _ := attr(n, "id")
		return n.Data == "h3" && strings.HasPrefix(id, "tier-")
	})
	if len(heads) < 4 {
		t.Fatalf("%d tier groups on the Paris page, want at least 4", len(heads))
	}
	last, partial := -1, false
	for _, h := range heads {
		id, _ := attr(h, "id")
		tier := lens.Tier(strings.TrimPrefix(id, "tier-"))
		rank := slices.Index(lens.Tiers, tier)
		if rank <= last || tier == lens.Distant {
			t.Errorf("tier group %q out of order or unexpected", tier)
		}
		last = rank
		sec := h.Parent
		items := findAll(sec, func(n *html.Node) bool { return n.Data == "li" && hasClass(n, "story") })
		if len(items) == 0 || len(items) > placeStoriesPerTier {
			t.Errorf("tier %s: %d stories, want 1..%d", tier, len(items), placeStoriesPerTier)
		}
		for _, it := range items {
			if b := findAll(it, class("tier")); len(b) == 0 || text(b[0]) != string(tier) {
				t.Errorf("tier %s lists a story of another tier", tier)
			}
		}
		if strings.Contains(text(h), " of ") {
			partial = true
		}
	}
	if !partial {
		t.Errorf("no tier group says how many of its stories it shows")
	}
}
