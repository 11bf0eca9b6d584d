package serve

import "net/http"

// Handler returns the whole HTTP surface; every route is in this one table.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/v1/stats", s.stats)
	mux.HandleFunc("GET /api/v1/articles", s.listArticles)
	mux.HandleFunc("GET /api/v1/articles/{id}", s.getArticle)
	mux.HandleFunc("POST /api/v1/articles", s.requireToken(s.postArticles))
	mux.HandleFunc("/", s.index)
	return s.logRequests(mux)
}
