package httpjson

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAllowParams(t *testing.T) {
	for _, c := range []struct {
		url   string
		known []string
		ok    bool
		want  string
	}{
		{"/x?a=1&b=2", []string{"a", "b"}, true, ""},
		{"/x", nil, true, ""},
		{"/x?c=1", []string{"a"}, false, `unknown query parameter "c" (known: a)`},
		{"/x?c=1", nil, false, "(this endpoint takes none)"},
	} {
		w := httptest.NewRecorder()
		got := AllowParams(w, httptest.NewRequest("GET", c.url, nil), c.known...)
		if got != c.ok {
			t.Errorf("%s: ok %v", c.url, got)
		}
		if !c.ok {
			var p Problem
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != 400 || !strings.Contains(p.Detail, c.want) ||
				w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: problem %+v (%v) %s", c.url, p, err, w.Header().Get("Content-Type"))
			}
		}
	}
}

func TestWriteJSONKeepsHTML(t *testing.T) {
	w := httptest.NewRecorder()
	WriteJSON(w, 201, map[string]string{"a": "<b>&"})
	if w.Code != 201 || strings.TrimSpace(w.Body.String()) != `{"a":"<b>&"}` {
		t.Errorf("%d %s", w.Code, w.Body.String())
	}
}
