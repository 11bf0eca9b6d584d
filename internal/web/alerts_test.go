package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/vantage-news/vantage/internal/alerts"
	"github.com/vantage-news/vantage/internal/store"
)

// countKeeper is the notifier, counting the rule changes it is told of.
type countKeeper struct {
	*alerts.Notifier
	n atomic.Int32
}

func (c *countKeeper) AddRule(ctx context.Context, req alerts.RuleRequest) (store.AlertRule, error) {
	r, err := c.Notifier.AddRule(ctx, req)
	if err == nil {
		c.n.Add(1)
	}
	return r, err
}

func (c *countKeeper) Invalidate() {
	c.Notifier.Invalidate()
	c.n.Add(1)
}

func TestAlertsPage(t *testing.T) {
	const token = "alerts-token"
	watcher := &countKeeper{}
	ts, f := newSiteWith(t, token, func(s *Site) {
		watcher.Notifier = &alerts.Notifier{Store: s.Store, Lens: s.Lens}
		s.Alerts = watcher
	})
	ctx := context.Background()
	t.Cleanup(func() {
		rules, _ := f.db.AlertRules(ctx)
		for _, r := range rules {
			f.db.RemoveAlertRule(ctx, r.ID)
		}
	})
	page, err := f.db.Stories(ctx, store.StoryQuery{Limit: 1})
	if err != nil || len(page.Stories) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	st := page.Stories[0]

	// a rule added through the store is listed, without its secret or the
	// webhook's path and query
	const storeSecret = "store-secret-0123456789abcdef"
	rule, err := f.db.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", PlaceID: 745044, MinTier: "national", Topics: []string{"politics"},
		MinSources: 2, WebhookURL: "https://hooks.example.org/in/PATHKEY123?key=QUERYKEY456", Secret: storeSecret})
	if err != nil {
		t.Fatal(err)
	}
	noSecrets := func(t *testing.T, body string, secrets ...string) {
		t.Helper()
		for _, s := range append([]string{storeSecret, "PATHKEY123", "QUERYKEY456"}, secrets...) {
			if strings.Contains(body, s) {
				t.Errorf("the page shows the secret %q", s)
			}
		}
	}
	r := get(t, nil, ts.URL+"/alerts")
	if r.status != 200 {
		t.Fatalf("GET /alerts: %d", r.status)
	}
	checkStructure(t, "alerts", r.doc)
	ruleID := strconv.FormatInt(rule.ID, 10)
	for _, want := range []string{`id="rule-` + ruleID + `"`, "hooks.example.org", `href="/places/745044"`, "politics and government", "at least 2 independent",
		"No alert sent yet", `action="/alerts/remove"`, `name="id" value="` + ruleID + `"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("GET /alerts lacks %q", want)
		}
	}
	noSecrets(t, r.body)

	// the delivery log
	at := time.Now().UTC().Truncate(time.Millisecond)
	for _, d := range []store.Delivery{
		{ID: "dl-1", RuleID: rule.ID, StoryID: st.ID, Tier: "national", Attempt: 1, Status: store.DeliveryRetrying, HTTPStatus: 503, Error: "receiver <b>busy</b>", At: at.Add(-time.Minute)},
		{ID: "dl-1", RuleID: rule.ID, StoryID: st.ID, Tier: "national", Attempt: 2, Status: store.DeliveryDelivered, HTTPStatus: 200, At: at},
	} {
		if err := f.db.RecordDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	r = get(t, nil, ts.URL+"/alerts")
	checkStructure(t, "alerts with deliveries", r.doc)
	rows := findAll(r.doc, func(n *html.Node) bool { return n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" })
	if len(rows) != 2 {
		t.Fatalf("%d delivery rows, want 2", len(rows))
	}
	if got := text(rows[0]); !strings.Contains(got, "delivered") || !strings.Contains(got, "200") || !strings.Contains(got, st.Headline) {
		t.Errorf("newest delivery row: %q", got)
	}
	if got := text(rows[1]); !strings.Contains(got, "retrying") || !strings.Contains(got, "503") || !strings.Contains(got, "receiver <b>busy</b>") {
		t.Errorf("first attempt row: %q", got)
	}
	if !strings.Contains(r.body, `href="`+storyURL(st.ID, "745044", nil)+`"`) {
		t.Errorf("the delivery does not link its story with the watched place")
	}
	sp := get(t, nil, ts.URL+"/stories/"+st.ID)
	if notes := findAll(sp.doc, class("alert-note")); len(notes) != 1 || !strings.Contains(text(notes[0]), "rule #"+ruleID) || !strings.Contains(text(notes[0]), "delivered") {
		t.Errorf("the story page does not note the alert sent for it")
	}
	checkStructure(t, "story with alert", sp.doc)

	// the add form: guarded, validated
	own := ts.URL
	post := func(path string, vals url.Values, hdr map[string]string) response {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(vals.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		return do(t, nil, req)
	}
	valid := func(mod func(url.Values)) url.Values {
		v := url.Values{"place": {"Paris, France"}, "min_tier": {"neighbour"}, "topics": {"politics", "economy-business-finance"},
			"min_sources": {"1"}, "webhook_url": {"https://receiver.example.net/hook"}, "token": {token}}
		if mod != nil {
			mod(v)
		}
		return v
	}
	origin := map[string]string{"Origin": own}
	count := func() int {
		rs, err := f.db.AlertRules(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	before := count()
	for _, tc := range []struct {
		name   string
		vals   url.Values
		hdr    map[string]string
		status int
		says   string
	}{
		{"no token", valid(func(v url.Values) { v.Del("token") }), origin, 401, "access token"},
		{"wrong token", valid(func(v url.Values) { v.Set("token", "nope") }), origin, 401, ""},
		{"cross-site origin", valid(nil), map[string]string{"Origin": "https://evil.example"}, 403, "another site"},
		{"cross-site fetch", valid(nil), map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"cross-site referer", valid(nil), map[string]string{"Referer": "https://evil.example/x"}, 403, ""},
		{"no place", valid(func(v url.Values) { v.Set("place", " ") }), origin, 400, "Enter the place"},
		{"unknown place", valid(func(v url.Values) { v.Set("place", "Qwxzvbnmplk") }), origin, 400, "place not found"},
		{"ambiguous place", valid(func(v url.Values) { v.Set("place", "Springfield") }), origin, 400, "/alerts?place="},
		{"long place", valid(func(v url.Values) { v.Set("place", strings.Repeat("x", alerts.MaxPlaceLen+1)) }), origin, 400, "longer than 200"},
		{"bad tier", valid(func(v url.Values) { v.Set("min_tier", "closest") }), origin, 400, "tiers"},
		{"unknown topic", valid(func(v url.Values) { v.Add("topics", "knitting") }), origin, 400, "topics"},
		{"bad sources", valid(func(v url.Values) { v.Set("min_sources", "-1") }), origin, 400, "between 0 and 1000"},
		{"sources not a number", valid(func(v url.Values) { v.Set("min_sources", "two") }), origin, 400, "whole number"},
		{"not a web address", valid(func(v url.Values) { v.Set("webhook_url", "javascript:alert(1)") }), origin, 400, "http or https"},
		{"user in url", valid(func(v url.Values) { v.Set("webhook_url", "https://u:p@receiver.example.net/") }), origin, 400, "user name"},
		{"localhost", valid(func(v url.Values) { v.Set("webhook_url", "http://localhost:8080/x") }), origin, 400, "this machine"},
		{"private address", valid(func(v url.Values) { v.Set("webhook_url", "http://10.1.2.3/x") }), origin, 400, "non-public"},
		{"short secret", valid(func(v url.Values) { v.Set("secret", "short") }), origin, 400, "16 to 256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post("/alerts/add", tc.vals, tc.hdr)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%.1500s", r.status, tc.status, r.body)
			}
			if !strings.Contains(r.body, tc.says) {
				t.Errorf("the answer does not say %q", tc.says)
			}
			if r.status == 400 {
				checkStructure(t, tc.name, r.doc)
				if !strings.Contains(r.body, `name="webhook_url" type="url" required value="`+html.EscapeString(tc.vals.Get("webhook_url"))+`"`) {
					t.Errorf("the form is not filled in again")
				}
			}
		})
	}
	if n := count(); n != before {
		t.Fatalf("refused forms stored %d rules", n-before)
	}
	if watcher.n.Load() != 0 {
		t.Errorf("refused forms told the notifier")
	}

	// a secret of one's own: stored, never shown
	const mine = "my-own-secret-0123456789"
	r = post("/alerts/add", valid(func(v url.Values) { v.Set("secret", mine) }), origin)
	if r.status != 303 || r.header.Get("Location") != "/alerts?done=added" {
		t.Fatalf("add with a secret: %d %q\n%.1500s", r.status, r.header.Get("Location"), r.body)
	}
	rules, _ := f.db.AlertRules(ctx)
	added := rules[len(rules)-1]
	if added.Secret != mine || added.PlaceID != 2988507 || added.MinTier != "neighbour" || added.MinSources != 1 ||
		strings.Join(added.Topics, ",") != "politics,economy-business-finance" || added.WebhookURL != "https://receiver.example.net/hook" {
		t.Errorf("stored rule %+v", added)
	}
	if watcher.n.Load() != 1 {
		t.Errorf("the notifier was told %d times, want 1", watcher.n.Load())
	}

	// a generated secret: shown once, on the answer
	r = post("/alerts/add", valid(func(v url.Values) { v.Set("place", "Istanbul") }), map[string]string{"Authorization": "Bearer " + token, "Referer": own + "/alerts"})
	if r.status != http.StatusCreated {
		t.Fatalf("add with a generated secret: %d\n%.1500s", r.status, r.body)
	}
	checkStructure(t, "alert created", r.doc)
	shown := findAll(r.doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "secret" })
	rules, _ = f.db.AlertRules(ctx)
	gen := rules[len(rules)-1]
	if len(shown) != 1 || text(shown[0]) != gen.Secret || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(gen.Secret) {
		t.Fatalf("the generated secret is not shown once as stored (%d shown)", len(shown))
	}
	list := get(t, nil, ts.URL+"/alerts")
	noSecrets(t, list.body, mine, gen.Secret)
	if !strings.Contains(list.body, "receiver.example.net") || strings.Contains(list.body, "receiver.example.net/hook") {
		t.Errorf("the list shows more than the webhook's host")
	}
	if len(findAll(list.doc, class("watched"))) != 2 {
		t.Errorf("want the rules grouped under 2 watched places")
	}

	// remove: guarded, then gone with its delivery log
	idv := func(id int64) url.Values { return url.Values{"id": {strconv.FormatInt(id, 10)}, "token": {token}} }
	if r := post("/alerts/remove", url.Values{"id": {ruleID}}, origin); r.status != 401 {
		t.Errorf("remove without the token: %d", r.status)
	}
	if r := post("/alerts/remove", idv(rule.ID), map[string]string{"Origin": "https://evil.example"}); r.status != 403 {
		t.Errorf("remove cross-site: %d", r.status)
	}
	if r := post("/alerts/remove", idv(rule.ID), origin); r.status != 303 || r.header.Get("Location") != "/alerts?done=removed" {
		t.Fatalf("remove: %d %q", r.status, r.header.Get("Location"))
	}
	if r := post("/alerts/remove", idv(rule.ID), origin); r.status != 404 {
		t.Errorf("remove again: %d", r.status)
	}
	if r := post("/alerts/remove", url.Values{"id": {"x"}, "token": {token}}, origin); r.status != 400 {
		t.Errorf("remove a bad id: %d", r.status)
	}
	if ds, err := f.db.Deliveries(ctx, rule.ID, 10); err == nil && len(ds) != 0 {
		t.Errorf("the removed rule's deliveries stay: %d", len(ds))
	}
	after := get(t, nil, ts.URL+"/alerts?done=removed")
	if strings.Contains(after.body, `id="rule-`+ruleID+`"`) || !strings.Contains(after.body, "The rule was removed") {
		t.Errorf("the removed rule is still listed, or no notice")
	}
	if sp := get(t, nil, ts.URL+"/stories/"+st.ID); len(findAll(sp.doc, class("alert-note"))) != 0 {
		t.Errorf("the story page still notes the removed rule's alert")
	}
	if watcher.n.Load() != 3 {
		t.Errorf("the notifier was told %d times, want 3", watcher.n.Load())
	}
	if r := get(t, nil, ts.URL+"/alerts/add"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("GET /alerts/add: %d", r.status)
	}
}

func TestAlertsPageWithoutAlerting(t *testing.T) {
	ts, f := newSiteWith(t, "", func(s *Site) { s.Alerts = nil })
	r := get(t, nil, ts.URL+"/alerts")
	if r.status != 200 || !strings.Contains(r.body, "Alerting is not enabled") || strings.Contains(r.body, `action="/alerts/add"`) {
		t.Errorf("GET /alerts without alerting: %d, or no notice, or the add form\n%.1500s", r.status, r.body)
	}
	checkStructure(t, "alerts off", r.doc)
	req, _ := http.NewRequest("POST", ts.URL+"/alerts/add", strings.NewReader(url.Values{"place": {"Paris, France"},
		"webhook_url": {"https://receiver.example.net/hook"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	if r := do(t, nil, req); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "not enabled") {
		t.Errorf("add without alerting: %d\n%.1500s", r.status, r.body)
	}
	if rules, err := f.db.AlertRules(context.Background()); err != nil || len(rules) != 0 {
		t.Errorf("add without alerting stored %d rules (%v)", len(rules), err)
	}
}
