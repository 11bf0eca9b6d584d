package lens

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeModel speaks the OpenAI chat-completions protocol and answers with reply.
func fakeModel(t *testing.T, reply string, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Model    string
			Messages []struct{ Role, Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "test-model" || len(req.Messages) != 2 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if !strings.Contains(req.Messages[1].Content, "Facts:") {
			http.Error(w, "no evidence sent", http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"choices": []map[string]any{{"message": map[string]string{"role": "assistant", "content": reply}}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLLMPolishIsChecked(t *testing.T) {
	g := testGaz(t)
	pact := story("s-pact", "Iran and Iraq sign a border security pact", map[string]float64{"IQ": 0.5, "IR": 0.46, "TR": 0.04})
	r, _ := ResolvePlace(g, "Istanbul")
	base := (&Engine{G: g}).Lens(context.Background(), pact, r, nil)
	for _, c := range []struct {
		name, reply string
		status      int
		polished    bool
	}{
		{"faithful rewrite", "Turkey borders Iraq and Iran but is not a party; Istanbul is about 1,430 km from the Iraq–Iran border.", 200, true},
		{"invented number", "Turkey borders Iraq and Iran; Istanbul is about 900 km from the border.", 200, false},
		{"invented person", "Turkey borders Iraq and Iran, says Recep Erdogan.", 200, false},
		{"invented place", "Turkey borders Iraq and Iran, and Ankara is worried.", 200, false},
		{"server error", "", 500, false},
		{"empty", "  ", 200, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := fakeModel(t, c.reply, c.status)
			en := &Engine{G: g, Writer: &OpenAIWriter{URL: srv.URL + "/v1", Model: "test-model"}}
			l := en.Lens(context.Background(), pact, r, nil)
			if c.polished {
				if l.Text != c.reply || l.Writer != "llm:test-model" {
					t.Errorf("faithful rewrite rejected: %q (%s)", l.Text, l.Writer)
				}
				return
			}
			if l.Text != base.Text || l.Writer != "deterministic" {
				t.Errorf("unchecked text kept: %q (%s)", l.Text, l.Writer)
			}
		})
	}
}
