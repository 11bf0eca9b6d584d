package alerts

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/httpjson"
	"github.com/vantage-news/vantage/internal/store"
)

const testToken = "t0ken"

func apiServer(t *testing.T) (*httptest.Server, *Notifier) {
	t.Helper()
	n := &Notifier{Store: openStore(t), Lens: engine(t)}
	guard := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(testToken)) != 1 {
				writeProblem(w, http.StatusUnauthorized, "this endpoint needs the bearer token")
				return
			}
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	n.Routes(mux, guard)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, n
}

func call(t *testing.T, srv *httptest.Server, method, path, token, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// problem checks an RFC 9457 answer and returns its detail.
func problem(t *testing.T, resp *http.Response, body []byte, status int) string {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status %d, want %d: %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json (%s)", ct, body)
	}
	var p httpjson.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("problem body %s: %v", body, err)
	}
	if p.Type != "about:blank" || p.Status != status || p.Title != http.StatusText(status) || p.Detail == "" {
		t.Errorf("problem = %+v", p)
	}
	return p.Detail
}

func TestAPI(t *testing.T) {
	srv, n := apiServer(t)
	const ok = `{"place":"Istanbul, Turkey","min_tier":"neighbour","topics":["politics","diplomacy","politics"],"min_sources":2,"webhook_url":"https://hooks.example.com/vantage"}`

	resp, body := call(t, srv, "GET", "/api/v1/alerts", "", "", "")
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"alerts":[]}` {
		t.Fatalf("empty list: %d %s", resp.StatusCode, body)
	}

	// Writes need the token.
	resp, body = call(t, srv, "POST", "/api/v1/alerts", "", "application/json", ok)
	problem(t, resp, body, 401)
	resp, body = call(t, srv, "POST", "/api/v1/alerts", "wrong", "application/json", ok)
	problem(t, resp, body, 401)

	resp, body = call(t, srv, "POST", "/api/v1/alerts", testToken, "application/json", ok)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created CreatedRule
	if err := json.Unmarshal(body, &created); err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Place != "Istanbul, Turkey" || created.PlaceID != 745044 || created.MinTier != "neighbour" ||
		strings.Join(created.Topics, ",") != "politics,diplomacy" || created.MinSources != 2 || len(created.Secret) != 64 || created.Created.IsZero() {
		t.Errorf("created = %s", body)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/v1/alerts/1" {
		t.Errorf("Location = %q", loc)
	}
	// A given secret is kept.
	resp, body = call(t, srv, "POST", "/api/v1/alerts", testToken, "application/json; charset=utf-8",
		`{"place":"Kurdistan","webhook_url":"http://hooks.example.com/k","secret":"my-own-secret-1234"}`)
	if resp.StatusCode != 201 || !strings.Contains(string(body), `"secret":"my-own-secret-1234"`) || !strings.Contains(string(body), `"min_tier":"national"`) {
		t.Errorf("create with secret: %d %s", resp.StatusCode, body)
	}

	// Listing hides secrets.
	resp, body = call(t, srv, "GET", "/api/v1/alerts", "", "", "")
	if resp.StatusCode != 200 || strings.Contains(string(body), "secret") || strings.Contains(string(body), created.Secret) {
		t.Errorf("list: %d %s", resp.StatusCode, body)
	}
	var list struct{ Alerts []store.AlertRule }
	if err := json.Unmarshal(body, &list); err != nil || len(list.Alerts) != 2 || list.Alerts[0].ID != created.ID {
		t.Errorf("list = %s (%v)", body, err)
	}
	stored, _ := n.Store.AlertRules(t.Context())
	if len(stored) != 2 || stored[0].Secret != created.Secret {
		t.Errorf("stored secret %q, returned %q", stored[0].Secret, created.Secret)
	}

	// Validation.
	for _, c := range []struct {
		name, ctype, body, want string
		status                  int
	}{
		{"no place", "application/json", `{"webhook_url":"https://h.example.com"}`, "place is required", 400},
		{"unknown place", "application/json", `{"place":"Qwxzzy","webhook_url":"https://h.example.com"}`, "unknown place", 400},
		{"ambiguous place", "application/json", `{"place":"Springfield","webhook_url":"https://h.example.com"}`, "ambiguous", 400},
		{"bad tier", "application/json", `{"place":"Paris","min_tier":"close","webhook_url":"https://h.example.com"}`, "unknown tier", 400},
		{"unknown topic", "application/json", `{"place":"Paris","topics":["gossip"],"webhook_url":"https://h.example.com"}`, `unknown topic "gossip"`, 400},
		{"negative sources", "application/json", `{"place":"Paris","min_sources":-1,"webhook_url":"https://h.example.com"}`, "min_sources", 400},
		{"no webhook", "application/json", `{"place":"Paris"}`, "webhook_url: required", 400},
		{"ftp webhook", "application/json", `{"place":"Paris","webhook_url":"ftp://h.example.com/x"}`, "http or https", 400},
		{"relative webhook", "application/json", `{"place":"Paris","webhook_url":"/hook"}`, "http or https", 400},
		{"loopback webhook", "application/json", `{"place":"Paris","webhook_url":"http://127.0.0.1:9000/"}`, "non-public", 400},
		{"private webhook", "application/json", `{"place":"Paris","webhook_url":"http://[fd00::1]/"}`, "non-public", 400},
		{"localhost webhook", "application/json", `{"place":"Paris","webhook_url":"http://localhost:8080/"}`, "this machine", 400},
		{"credentials", "application/json", `{"place":"Paris","webhook_url":"https://u:p@h.example.com/"}`, "password", 400},
		{"short secret", "application/json", `{"place":"Paris","webhook_url":"https://h.example.com","secret":"short"}`, "secret must be", 400},
		{"unknown field", "application/json", `{"place":"Paris","webhook_url":"https://h.example.com","tier":"here"}`, `unknown field "tier"`, 400},
		{"wrong type", "application/json", `{"place":"Paris","webhook_url":"https://h.example.com","topics":"politics"}`, "invalid JSON", 400},
		{"two objects", "application/json", `{"place":"Paris","webhook_url":"https://h.example.com"} {}`, "more data", 400},
		{"not JSON", "application/json", `place=Paris`, "invalid JSON", 400},
		{"form", "application/x-www-form-urlencoded", `place=Paris`, "application/json", 415},
		{"too big", "application/json", `{"place":"` + strings.Repeat("x", 70<<10) + `"}`, "larger than", 413},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := call(t, srv, "POST", "/api/v1/alerts", testToken, c.ctype, c.body)
			if d := problem(t, resp, body, c.status); !strings.Contains(d, c.want) {
				t.Errorf("detail %q, want it to contain %q", d, c.want)
			}
		})
	}
	if rules, _ := n.Store.AlertRules(t.Context()); len(rules) != 2 {
		t.Errorf("%d rules after the invalid requests, want 2", len(rules))
	}

	// Unknown query parameters.
	for _, c := range []struct{ method, path, token string }{
		{"GET", "/api/v1/alerts?place=Paris", ""},
		{"POST", "/api/v1/alerts?dry_run=1", testToken},
		{"DELETE", "/api/v1/alerts/1?force=1", testToken},
		{"GET", "/api/v1/alerts/1/deliveries?cursor=x", ""},
	} {
		resp, body := call(t, srv, c.method, c.path, c.token, "application/json", ok)
		if d := problem(t, resp, body, 400); !strings.Contains(d, "unknown query parameter") {
			t.Errorf("%s %s: %q", c.method, c.path, d)
		}
	}

	// Delivery log.
	resp, body = call(t, srv, "GET", "/api/v1/alerts/1/deliveries", "", "", "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"deliveries":[]`) {
		t.Errorf("empty log: %d %s", resp.StatusCode, body)
	}
	for _, st := range []string{store.DeliveryRetrying, store.DeliveryDelivered} {
		if err := n.Store.RecordDelivery(t.Context(), store.Delivery{ID: "d", RuleID: 1, StoryID: "s", Tier: "here", Attempt: 1, Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	resp, body = call(t, srv, "GET", "/api/v1/alerts/1/deliveries?limit=1", "", "", "")
	var log struct {
		RuleID     int64            `json:"rule_id"`
		Deliveries []store.Delivery `json:"deliveries"`
	}
	if err := json.Unmarshal(body, &log); err != nil || resp.StatusCode != 200 || log.RuleID != 1 || len(log.Deliveries) != 1 || log.Deliveries[0].Status != store.DeliveryDelivered {
		t.Errorf("log: %d %s (%v)", resp.StatusCode, body, err)
	}
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/api/v1/alerts/1/deliveries?limit=0", 400},
		{"/api/v1/alerts/1/deliveries?limit=501", 400},
		{"/api/v1/alerts/1/deliveries?limit=ten", 400},
		{"/api/v1/alerts/x/deliveries", 400},
		{"/api/v1/alerts/99/deliveries", 404},
	} {
		resp, body := call(t, srv, "GET", c.path, "", "", "")
		problem(t, resp, body, c.status)
	}

	// Removal.
	resp, body = call(t, srv, "DELETE", "/api/v1/alerts/1", "", "", "")
	problem(t, resp, body, 401)
	resp, body = call(t, srv, "DELETE", "/api/v1/alerts/0", testToken, "", "")
	problem(t, resp, body, 400)
	resp, body = call(t, srv, "DELETE", "/api/v1/alerts/99", testToken, "", "")
	problem(t, resp, body, 404)
	resp, body = call(t, srv, "DELETE", "/api/v1/alerts/1", testToken, "", "")
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Errorf("delete: %d %s", resp.StatusCode, body)
	}
	resp, body = call(t, srv, "DELETE", "/api/v1/alerts/1", testToken, "", "")
	problem(t, resp, body, 404)
	resp, body = call(t, srv, "GET", "/api/v1/alerts/1/deliveries", "", "", "")
	problem(t, resp, body, 404)
}

func TestAPIAllowPrivate(t *testing.T) {
	srv, n := apiServer(t)
	n.AllowPrivate = true
	resp, body := call(t, srv, "POST", "/api/v1/alerts", testToken, "application/json",
		`{"place":"41.01,28.95","min_tier":"here","webhook_url":"http://127.0.0.1:9000/hook"}`)
	if resp.StatusCode != 201 || !strings.Contains(string(body), `"place_id":0`) {
		t.Errorf("loopback webhook with AllowPrivate, point place: %d %s", resp.StatusCode, body)
	}
}

func TestRoutesWithoutGuard(t *testing.T) {
	n := &Notifier{Store: openStore(t), Lens: engine(t)}
	mux := http.NewServeMux()
	n.Routes(mux, nil)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, body := call(t, srv, "POST", "/api/v1/alerts", "", "", `{"place":"Paris","webhook_url":"https://h.example.com"}`)
	if resp.StatusCode != 201 {
		t.Errorf("unguarded create: %d %s", resp.StatusCode, body)
	}
}

func TestAddRule(t *testing.T) {
	n := &Notifier{Store: openStore(t), Lens: engine(t)}
	ctx := t.Context()
	if _, err := n.rules(ctx); err != nil { // load the cache, to see AddRule invalidate it
		t.Fatal(err)
	}
	saved, err := n.AddRule(ctx, RuleRequest{Place: " Istanbul ", Topics: []string{"politics", "politics"}, WebhookURL: "https://hooks.example.com/x"})
	if err != nil {
		t.Fatal(err)
	}
	if saved.ID == 0 || saved.Place != "Istanbul" || saved.PlaceID != 745044 || saved.MinTier != string(DefaultMinTier) ||
		strings.Join(saved.Topics, ",") != "politics" || len(saved.Secret) != 2*generatedSecret {
		t.Errorf("saved = %+v", saved)
	}
	n.mu.Lock()
	stale := n.stale
	n.mu.Unlock()
	if !stale {
		t.Errorf("AddRule left the rule cache as it was")
	}
	if rules, _ := n.Store.AlertRules(ctx); len(rules) != 1 || rules[0].Secret != saved.Secret {
		t.Errorf("stored %+v", rules)
	}

	for _, c := range []struct {
		req   RuleRequest
		field string
	}{
		{RuleRequest{WebhookURL: "https://h.example.com"}, "place"},
		{RuleRequest{Place: strings.Repeat("x", MaxPlaceLen+1), WebhookURL: "https://h.example.com"}, "place"},
		{RuleRequest{Place: "Springfield", WebhookURL: "https://h.example.com"}, "place"},
		{RuleRequest{Place: "Paris", MinTier: "close", WebhookURL: "https://h.example.com"}, "min_tier"},
		{RuleRequest{Place: "Paris", Topics: []string{"gossip"}, WebhookURL: "https://h.example.com"}, "topics"},
		{RuleRequest{Place: "Paris", MinSources: maxMinSources + 1, WebhookURL: "https://h.example.com"}, "min_sources"},
		{RuleRequest{Place: "Paris", WebhookURL: "http://10.1.2.3/"}, "webhook_url"},
		{RuleRequest{Place: "Paris", WebhookURL: "https://h.example.com", Secret: "short"}, "secret"},
	} {
		_, err := n.AddRule(ctx, c.req)
		re, ok := errors.AsType[*RuleError](err)
		if !ok || re.Field != c.field || re.Message == "" || re.Error() != re.Message {
			t.Errorf("AddRule(%+v) = %v, want a *RuleError for %s", c.req, err, c.field)
		}
	}
	if rules, _ := n.Store.AlertRules(ctx); len(rules) != 1 {
		t.Errorf("%d rules after the refused requests, want 1", len(rules))
	}
}

func TestCheckWebhookURL(t *testing.T) {
	strict, open := &Notifier{}, &Notifier{AllowPrivate: true}
	for _, tc := range []struct {
		url          string
		strict, open bool // accepted
	}{
		{"https://hooks.example.org/x?k=1", true, true},
		{"http://93.184.216.34:8080/", true, true},
		{"http://127.0.0.1:9000/hook", false, true},
		{"http://[::1]/hook", false, true},
		{"http://192.168.1.10/", false, true},
		{"http://10.1.2.3/", false, true},
		{"http://[fd00::1]/", false, true},
		{"http://100.64.0.1/", false, true},
		{"http://[64:ff9b::7f00:1]/", false, true},
		{"http://[::ffff:127.0.0.1]/", false, true},
		{"http://localhost:8080/", false, true},
		{"http://api.localhost./", false, true},
		{"ftp://hooks.example.org/", false, false},
		{"javascript:alert(1)", false, false},
		{"/hook", false, false},
		{"https:///nohost", false, false},
		{"https://u:p@hooks.example.org/", false, false},
		{"https://hooks.example.org/" + strings.Repeat("x", maxURLLen), false, false},
		{"", false, false},
	} {
		if got := strict.checkWebhookURL(tc.url) == ""; got != tc.strict {
			t.Errorf("strict %q: accepted %v", tc.url, got)
		}
		if got := open.checkWebhookURL(tc.url) == ""; got != tc.open {
			t.Errorf("AllowPrivate %q: accepted %v", tc.url, got)
		}
	}
}
