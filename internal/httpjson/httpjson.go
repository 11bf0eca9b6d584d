// Package httpjson holds the conventions every JSON handler of Vantage
// shares (the API in serve, the alert routes): RFC 9457 problem details,
// JSON bodies, and the refusal of query parameters a handler does not know.
package httpjson

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// WriteProblem answers with a problem+json body.
func WriteProblem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail})
}

// WriteJSON answers with v as JSON (HTML characters not escaped).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// AllowParams refuses, with a 400 problem, query parameters not in known.
func AllowParams(w http.ResponseWriter, r *http.Request, known ...string) bool {
	for k := range r.URL.Query() {
		if !slices.Contains(known, k) {
			detail := fmt.Sprintf("unknown query parameter %q", k)
			if len(known) == 0 {
				detail += " (this endpoint takes none)"
			} else {
				detail += " (known: " + strings.Join(known, ", ") + ")"
			}
			WriteProblem(w, http.StatusBadRequest, detail)
			return false
		}
	}
	return true
}
