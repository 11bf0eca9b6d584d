package serve

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

func newServer(t *testing.T, token string) (*httptest.Server, store.Store) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &Server{Store: db, Pipeline: &pipeline.Pipeline{Store: db}, Token: token, Version: "test"}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, db
}

func do(t *testing.T, method, url, token, body string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestArticlesAPI(t *testing.T) {
	ts, _ := newServer(t, "s3cret")
	post := `[{"url":"https://x.example/a","title":"Iran and Iraq sign border pact","published":"2023-03-19","text":"Baghdad and Tehran signed a security agreement."},
	{"url":"https://x.example/b","title":"Earthquake in Turkey","published":"2023-02-06","text":"A strong earthquake struck Kahramanmaraş."}]`

	tests := []struct {
		name, method, path, token, body string
		want                            int
		contains                        string
	}{
		{"health", "GET", "/healthz", "", "", 200, `"ok"`},
		{"post without token", "POST", "/api/v1/articles", "", post, 401, "bearer token"},
		{"post wrong token", "POST", "/api/v1/articles", "nope", post, 401, "bearer token"},
		{"post", "POST", "/api/v1/articles", "s3cret", post, 201, `"new":2`},
		{"post again is duplicate", "POST", "/api/v1/articles", "s3cret", post, 200, `"duplicate":2`},
		{"post jsonl with a bad line", "POST", "/api/v1/articles", "s3cret", "{\"title\":\"c\",\"text\":\"third\"}\n{oops\n", 201, `"malformed JSON":1`},
		{"post garbage", "POST", "/api/v1/articles", "s3cret", "{oops", 422, "rejected 1 (malformed JSON: 1)"},
		{"post empty", "POST", "/api/v1/articles", "s3cret", "  ", 400, "empty body"},
		{"list", "GET", "/api/v1/articles?limit=2", "", "", 200, `"next"`},
		{"search", "GET", "/api/v1/articles?q=kahramanmaras", "", "", 200, "Earthquake in Turkey"},
		{"unknown param", "GET", "/api/v1/articles?place=x", "", "", 400, `unknown query parameter \"place\"`},
		{"bad limit", "GET", "/api/v1/articles?limit=0", "", "", 400, "limit"},
		{"bad cursor", "GET", "/api/v1/articles?cursor=zz", "", "", 400, "invalid cursor"},
		{"bad since", "GET", "/api/v1/articles?since=whenever", "", "", 400, "since"},
		{"missing article", "GET", "/api/v1/articles/nope", "", "", 404, "not found"},
		{"no such route", "GET", "/nope", "", "", 404, "no such page"},
		{"stats", "GET", "/api/v1/stats", "", "", 200, `"articles":3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, h, body := do(t, tt.method, ts.URL+tt.path, tt.token, tt.body)
			if code != tt.want || !strings.Contains(body, tt.contains) {
				t.Errorf("%s %s = %d %s, want %d containing %q", tt.method, tt.path, code, body, tt.want, tt.contains)
			}
			if code >= 400 && h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("error content type = %q", h.Get("Content-Type"))
			}
		})
	}
	// Follow the cursor to the end and fetch one article by ID.
	var page struct {
		Articles []struct{ ID, Title string }
		Next     string
	}
	seen := 0
	first := ""
	url := ts.URL + "/api/v1/articles?limit=2"
	for {
		_, _, body := do(t, "GET", url, "", "")
		page.Articles, page.Next = nil, ""
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		seen += len(page.Articles)
		if first == "" && len(page.Articles) > 0 {
			first = page.Articles[0].ID
		}
		if seen > 10 {
			t.Fatal("pagination does not end")
		}
		if page.Next == "" {
			break
		}
		url = ts.URL + "/api/v1/articles?limit=2&cursor=" + page.Next
	}
	if seen != 3 {
		t.Errorf("paged through %d articles, want 3", seen)
	}
	code, _, body := do(t, "GET", ts.URL+"/api/v1/articles/"+first, "", "")
	if code != 200 || !strings.Contains(body, first) {
		t.Errorf("get by id = %d %s", code, body)
	}
}

func TestOpenWhenNoToken(t *testing.T) {
	ts, _ := newServer(t, "")
	code, _, body := do(t, "POST", ts.URL+"/api/v1/articles", "", `{"title":"t","text":"x"}`)
	if code != 201 {
		t.Errorf("POST without configured token = %d %s", code, body)
	}
}

func TestPostTooLarge(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &Server{Store: db, Pipeline: &pipeline.Pipeline{Store: db}, MaxPostBytes: 100}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	code, _, _ := do(t, "POST", ts.URL+"/api/v1/articles", "", `{"title":"`+strings.Repeat("x", 200)+`"}`)
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize POST = %d, want 413", code)
	}
}
