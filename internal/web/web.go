// Package web is the web face of Vantage: server-rendered HTML pages with SVG
// maps, assets embedded, no external CDN, works without JavaScript.
//
// Pages: the briefing (/), a story with its lens and map (/stories/{id}), a
// place with a sample of the stories of each tier (/places/{geonameid}),
// full-text search (/search), the feed list with OPML import and export and,
// when Site.Fetcher is set, a "Fetch now" button per feed (/sources) and the
// watched places with their alert rules and webhook delivery logs (/alerts;
// a story page notes the alerts sent for it). Every
// page is built with html/template from embedded templates, carries one <h1>,
// labelled form fields and a strict Content-Security-Policy (only this
// origin; the maps' inline <style> is allowed by its hash). A little vanilla
// JavaScript adds place autocomplete, remembers the reader's choice and guesses
// a first place from the browser's time zone; without it every page still
// works. Write actions are POST only, checked against cross-site requests
// (Sec-Fetch-Site, Origin, Referer) and, when Site.Token is set, need the
// token as a form field or an Authorization bearer header. Alert webhook
// secrets are never shown, except a generated one, once, on the answer to
// the form that made its rule.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/maps"
	"github.com/vantage-news/vantage/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Site serves the HTML pages. Set the fields, then call Register.
type Site struct {
	Store store.Store
	// Lens builds briefings and lenses; its Index must hold the stored
	// stories (lens.Index.Load) and be kept up to date by the caller. When
	// Lens.Stories is nil the Store is used to load the full shown stories.
	Lens   *lens.Engine
	Token  string // bearer token for write actions ("" = open)
	Logger *slog.Logger
	// DefaultPlace is the briefing's place when the request names none and
	// no place is remembered in a cookie ("" = show only the form).
	DefaultPlace string
	// Alerts adds the rules made with the Alerts page and is told when it
	// removes one, so the change takes effect at once (the
	// *alerts.Notifier, whose AllowPrivate governs the webhooks it
	// accepts). nil: alerting is not enabled; the page lists the stored
	// rules but adds none.
	Alerts RuleKeeper
	// Fetcher fetches one feed at once for the "Fetch now" buttons of
	// /sources: the *feeds.Poller that also runs the scheduled polls. nil:
	// no buttons.
	Fetcher FeedFetcher

	engOnce sync.Once
	eng     *lens.Engine
}

// Cookie names that remember the reader's last choice.
const (
	cookiePlace  = "vantage_place"
	cookieTopics = "vantage_topics"
)

func (s *Site) log() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}

func (s *Site) gaz() *gazetteer.Gazetteer { return s.Lens.G }

// engine is the lens engine with full stories for the shown items.
func (s *Site) engine() *lens.Engine {
	s.engOnce.Do(func() {
		s.eng = s.Lens
		if s.Lens.Stories == nil {
			l := s.Lens
			s.eng = &lens.Engine{G: l.G, Index: l.Index, Stories: s.Store, Options: l.Options, Writer: l.Writer}
		}
	})
	return s.eng
}

// Register adds the pages to mux: GET /{$}, /stories/{id}, /places/{id},
// /search, /sources, /sources/export.opml, /alerts and /assets/, and POST
// /sources/add, /sources/remove, /sources/import, /sources/fetch,
// /alerts/add and /alerts/remove.
func (s *Site) Register(mux *http.ServeMux) {
	if s.Lens == nil || s.Lens.G == nil || s.Lens.Index == nil || s.Store == nil {
		panic("web: Site needs Store, Lens, Lens.G and Lens.Index")
	}
	mux.Handle("GET /{$}", s.page(s.brief))
	mux.Handle("GET /stories/{id}", s.page(s.story))
	mux.Handle("GET /places/{id}", s.page(s.place))
	mux.Handle("GET /search", s.page(s.search))
	mux.Handle("GET /sources", s.page(s.sources))
	mux.Handle("GET /sources/export.opml", s.secure(http.HandlerFunc(s.exportOPML)))
	mux.Handle("POST /sources/add", s.page(s.write(s.addSource)))
	mux.Handle("POST /sources/remove", s.page(s.write(s.removeSource)))
	mux.Handle("POST /sources/import", s.page(s.write(s.importOPML)))
	mux.Handle("POST /sources/fetch", s.page(s.write(s.fetchSource)))
	mux.Handle("GET /alerts", s.page(s.alerts))
	mux.Handle("POST /alerts/add", s.page(s.write(s.addAlert)))
	mux.Handle("POST /alerts/remove", s.page(s.write(s.removeAlert)))
	mux.Handle("GET /assets/", s.secure(assetHandler()))
}

// --- templates and assets -------------------------------------------------

var (
	pages     map[string]*template.Template
	assetVer  string // content hash of the assets, for cache busting
	assetsSub fs.FS
)

func init() {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err)
	}
	assetsSub = sub
	h := sha256.New()
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	assetVer = hex.EncodeToString(h.Sum(nil))[:12]

	pages = map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		pages[base] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n))
	}
}

func assetHandler() http.Handler {
	fsrv := http.StripPrefix("/assets/", http.FileServerFS(assetsSub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") == assetVer {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		fsrv.ServeHTTP(w, r)
	})
}

func asset(name string) string { return "/assets/" + name + "?v=" + assetVer }

// --- security ---------------------------------------------------------------

var (
	cspOnce sync.Once
	csp     string
)

// policy is the Content-Security-Policy: this origin only. The maps' SVG
// carries a fixed <style>; it is allowed by its hash rather than by
// 'unsafe-inline'.
func policy(g *gazetteer.Gazetteer) string {
	cspOnce.Do(func() {
		styles := "'self'"
		var b bytes.Buffer
		if err := maps.Render(&b, g, maps.Spec{Shade: map[string]float64{"MT": 1}}); err == nil {
			svg := b.String()
			if i := strings.Index(svg, "<style>"); i >= 0 {
				if j := strings.Index(svg[i:], "</style>"); j >= 0 {
					sum := sha256.Sum256([]byte(svg[i+len("<style>") : i+j]))
					styles += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
				}
			}
		}
		csp = "default-src 'none'; script-src 'self'; style-src " + styles + "; img-src 'self' data:; connect-src 'self'; " +
			"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	})
	return csp
}

// secure sets the security headers of every response.
func (s *Site) secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", policy(s.gaz()))
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether a write request comes from this site's own
// pages (or from a non-browser client that sends no origin information).
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		u, err := url.Parse(ref)
		return err == nil && strings.EqualFold(u.Host, r.Host)
	}
	return true
}

// authorized checks the token: an Authorization bearer header or the form
// field "token".
func (s *Site) authorized(r *http.Request) bool {
	if s.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		got = r.PostFormValue("token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.Token)) == 1
}

// maxForm caps a POSTed form; an OPML upload may be larger.
const (
	maxForm = 64 << 10
	maxOPML = 8 << 20
)

// write guards a write action: same origin, then the token.
func (s *Site) write(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request) (*view, error) {
		if !sameOrigin(r) {
			return nil, &httpError{http.StatusForbidden, "This form was sent from another site. Use the form on this site's own page."}
		}
		limit := int64(maxForm)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			limit = maxOPML
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			if err := r.ParseMultipartForm(maxOPML); err != nil {
				return nil, &httpError{http.StatusBadRequest, "The upload could not be read: " + err.Error()}
			}
		}
		if !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="vantage"`)
			return nil, &httpError{http.StatusUnauthorized, "This action needs the access token (VANTAGE_TOKEN). Enter it in the token field of the form."}
		}
		return h(w, r)
	}
}

// --- rendering --------------------------------------------------------------

// view is what a handler hands to its template.
type view struct {
	Name   string // template (page) name
	Title  string // <title> (the site name is appended)
	Nav    string // the active navigation entry
	Status int    // 0: 200
	Data   any
}

// layoutData is the template's dot.
type layoutData struct {
	Title, Nav string
	CSS, JS    string
	Token      bool // the site needs a token for writes
	Elapsed    string
	Data       any
}

// httpError is an error page with a status.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

type handler func(w http.ResponseWriter, r *http.Request) (*view, error)

// page runs a handler and renders its view, or an error page.
func (s *Site) page(h handler) http.Handler {
	return s.secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		v, err := h(w, r)
		if err != nil {
			var he *httpError
			switch {
			case errors.As(err, &he):
			case errors.Is(err, store.ErrNotFound):
				he = &httpError{http.StatusNotFound, "There is nothing here."}
			case errors.Is(err, context.Canceled):
				return
			default:
				s.log().Error("page failed", "method", r.Method, "path", r.URL.Path, "err", err)
				he = &httpError{http.StatusInternalServerError, "Something went wrong on the server; the error is in its log."}
			}
			v = &view{Name: "error", Title: http.StatusText(he.status), Status: he.status,
				Data: errorData{Status: he.status, Heading: http.StatusText(he.status), Message: he.msg}}
		}
		if v == nil {
			return // the handler answered itself (a redirect)
		}
		s.render(w, r, v, start)
	}))
}

type errorData struct {
	Status           int
	Heading, Message string
}

func (s *Site) render(w http.ResponseWriter, r *http.Request, v *view, start time.Time) {
	t, ok := pages[v.Name]
	if !ok {
		panic("web: no template " + v.Name)
	}
	d := layoutData{Title: v.Title, Nav: v.Nav, CSS: asset("site.css"), JS: asset("site.js"), Token: s.Token != "", Data: v.Data}
	var b bytes.Buffer
	d.Elapsed = fmt.Sprintf("%.0f ms", float64(time.Since(start).Microseconds())/1000)
	if err := t.Execute(&b, d); err != nil {
		s.log().Error("render failed", "page", v.Name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Server-Timing", fmt.Sprintf("app;dur=%.1f", float64(time.Since(start).Microseconds())/1000))
	status := v.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

// redirect answers a POST with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to string) (*view, error) {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil, nil
}

func notFound(msg string) error { return &httpError{http.StatusNotFound, msg} }
