package serve

import (
	"net/http"
	"strings"
)

// route is one entry of the HTTP surface. The OpenAPI document
// (openapi.json) must list exactly the /api routes; a test keeps them in step.
type route struct {
	method, pattern string
	h               http.HandlerFunc
	write           bool // needs the bearer token
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", s.healthz, false},
		{"GET", "/metrics", s.metricsHandler, false},
		{"GET", "/api/v1/openapi.json", s.openAPI, false},
		{"GET", "/api/v1/stats", s.stats, false},
		{"GET", "/api/v1/articles", s.listArticles, false},
		{"GET", "/api/v1/articles/{id}", s.getArticle, false},
		{"POST", "/api/v1/articles", s.postArticles, true},
		{"GET", "/api/v1/stories", s.listStories, false},
		{"GET", "/api/v1/stories/{id}", s.getStory, false},
		{"GET", "/api/v1/stories/{id}/lens", s.storyLens, false},
		{"GET", "/api/v1/brief", s.brief, false},
		{"GET", "/api/v1/places", s.searchPlaces, false},
		{"GET", "/api/v1/places/{id}", s.getPlace, false},
		{"GET", "/api/v1/topics", s.listTopics, false},
		{"GET", "/api/v1/feeds", s.listFeeds, false},
		{"POST", "/api/v1/feeds", s.addFeed, true},
		{"DELETE", "/api/v1/feeds/{id}", s.removeFeed, true},
		{"POST", "/api/v1/feeds/{id}/fetch", s.fetchFeed, true},
		{"GET", "/api/v1/exports/{format}", s.exportStories, false},
		{"GET", "/feeds/place/{file}", s.placeFeed, false},
	}
}

// Handler returns the whole HTTP surface: the routes above, then whatever
// Extra registers (web pages, alerts), then the fallback index.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		h := http.Handler(rt.h)
		if rt.write {
			h = s.requireToken(rt.h)
		}
		if rt.method == "GET" && (strings.HasPrefix(rt.pattern, "/api/") || strings.HasPrefix(rt.pattern, "/feeds/")) {
			h = conditional(h)
		}
		mux.Handle(rt.method+" "+rt.pattern, h)
	}
	for _, ex := range s.Extra {
		ex(mux, s.requireToken)
	}
	if !s.hasRoot {
		mux.HandleFunc("/", s.index)
	}
	return s.logRequests(s.instrument(s.cors(mux)))
}
