package serve

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes the /api/v1 routes; TestOpenAPIInSync keeps it true.
//
//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	writeRawJSON(w, http.StatusOK, openAPIDoc)
}
