package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/postgres"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

func engine(t *testing.T) *lens.Engine {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	return &lens.Engine{G: g, Index: lens.NewIndex(g)}
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// story is a story record shaped as the clusterer makes it: country-level
// focus weights, two independent sources, politics.
func story(t *testing.T, id string, focus map[string]float64) article.Story {
	t.Helper()
	g, _ := gazetteer.Default()
	st := article.Story{ID: id, Headline: "Headline of " + id, Summary: "What happened in " + id + ".",
		LastSeen: time.Date(2025, 6, 20, 12, 0, 0, 0, time.UTC), ArticleCount: 3, IndependentSourceCount: 2,
		Sources: []article.StorySource{{ArticleID: "a-" + id, Title: "t", Source: "Wire", URL: "https://news.example.com/" + id}},
		Topics:  []article.Topic{{Slug: "politics", Score: 0.9}, {Slug: "diplomacy", Score: 0.7}}}
	for iso, w := range focus {
		c, ok := g.Country(iso)
		if !ok {
			t.Fatalf("no country %s", iso)
		}
		st.Focus = append(st.Focus, article.Focus{GeonameID: c.Place.ID, Name: c.Name, Kind: "country", Country: iso, Weight: w})
		st.Places = append(st.Places, article.StoryPlace{GeonameID: c.Place.ID, Name: c.Name, Kind: "country", Country: iso, Mentions: 3, Articles: 1})
	}
	return st
}

// receiver is a webhook endpoint that checks signatures and records what
// it received; fail decides the status of each request (nil: 200).
type receiver struct {
	t      *testing.T
	secret string
	fail   func(n int) int

	mu       sync.Mutex
	payloads []Payload
	headers  []http.Header
	calls    int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.calls++
	n := rc.calls
	rc.mu.Unlock()
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		rc.t.Errorf("webhook %s with content type %q", r.Method, r.Header.Get("Content-Type"))
	}
	if !Verify(rc.secret, body, r.Header.Get(SignatureHeader)) {
		rc.t.Errorf("bad signature %q for %s", r.Header.Get(SignatureHeader), body)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		rc.t.Errorf("webhook body: %v", err)
	}
	rc.mu.Lock()
	rc.payloads = append(rc.payloads, p)
	rc.headers = append(rc.headers, r.Header.Clone())
	rc.mu.Unlock()
	if rc.fail != nil {
		if code := rc.fail(n); code != 0 {
			w.WriteHeader(code)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func (rc *receiver) hdrs() []http.Header {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]http.Header(nil), rc.headers...)
}

func (rc *receiver) got() []Payload {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Payload(nil), rc.payloads...)
}

// setup makes a notifier on a fresh store with one rule posting to rc,
// running until the test ends.
func setup(t *testing.T, rc *receiver, rule store.AlertRule) (*Notifier, store.AlertRule) {
	t.Helper()
	s := openStore(t)
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	rule.WebhookURL = srv.URL + "/hook"
	rule.Secret = rc.secret
	saved, err := s.AddAlertRule(context.Background(), rule)
	if err != nil {
		t.Fatal(err)
	}
	n := &Notifier{Store: s, Lens: engine(t), AllowPrivate: true, Backoff: time.Millisecond, BaseURL: "https://vantage.example.org/"}
	start(t, n)
	return n, saved
}

func start(t *testing.T, n *Notifier) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { n.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// waitLog waits until a rule's delivery log has want entries with a final
// status, and returns the log.
func waitLog(t *testing.T, s store.Store, ruleID int64, finals int) []store.Delivery {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ds, err := s.Deliveries(context.Background(), ruleID, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range ds {
			if d.Status != store.DeliveryRetrying {
				n++
			}
		}
		if n >= finals {
			return ds
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10s, %d final deliveries, want %d: %+v", n, finals, ds)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestWebhookSignedAndLogged(t *testing.T) {
	rc := &receiver{t: t, secret: "a-shared-secret-of-some-length"}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "neighbour"})
	ctx := context.Background()
	pact := story(t, "s-pact", map[string]float64{"IQ": 0.5, "IR": 0.46})
	n.Stories(ctx, []article.Story{pact})
	ds := waitLog(t, n.Store, rule.ID, 1)
	if len(ds) != 1 || ds[0].Status != store.DeliveryDelivered || ds[0].HTTPStatus != 200 || ds[0].Attempt != 1 ||
		ds[0].StoryID != "s-pact" || ds[0].Tier != "neighbour" || ds[0].ID != DeliveryID(rule.ID, "s-pact", lens.Neighbour) {
		t.Fatalf("log = %+v", ds)
	}
	ps := rc.got()
	if len(ps) != 1 {
		t.Fatalf("%d webhooks, want 1", len(ps))
	}
	p := ps[0]
	if p.RuleID != rule.ID || p.Place != "Istanbul" || p.Story.ID != "s-pact" || p.Story.Headline != pact.Headline || p.Story.Sources != 2 ||
		p.Story.URL != "https://vantage.example.org/stories/s-pact" || p.Story.SourceURL != "https://news.example.com/s-pact" ||
		strings.Join(p.Story.Topics, ",") != "politics,diplomacy" || p.Lens.Tier != lens.Neighbour || p.Lens.Text == "" ||
		len(p.Lens.Evidence) == 0 || p.PreviousTier != "" || p.SentAt.IsZero() || p.DeliveryID != ds[0].ID {
		t.Errorf("payload = %+v", p)
	}
	if h := rc.hdrs()[0]; h.Get(DeliveryHeader) != ds[0].ID || h.Get(AttemptHeader) != "1" || !strings.HasPrefix(h.Get(SignatureHeader), "sha256=") {
		t.Errorf("headers = %v", h)
	}
	// A wrong secret does not verify.
	if Verify("another secret", []byte(`{}`), Sign(rc.secret, []byte(`{}`))) {
		t.Error("a signature verified under another secret")
	}
}

func TestRetriesWithBackoff(t *testing.T) {
	rc := &receiver{t: t, secret: "retry-secret-0123456789", fail: func(n int) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return 0
	}}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "regional"})
	n.Stories(context.Background(), []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	ds := waitLog(t, n.Store, rule.ID, 1)
	var got []string
	for _, d := range ds {
		got = append(got, d.Status)
	}
	if strings.Join(got, " ") != "delivered retrying retrying" {
		t.Fatalf("log statuses (newest first) = %v, want delivered retrying retrying: %+v", got, ds)
	}
	if ds[0].Attempt != 3 || ds[2].Attempt != 1 || ds[1].HTTPStatus != 500 || ds[1].Error == "" || ds[0].HTTPStatus != 200 {
		t.Errorf("log = %+v", ds)
	}
	ids := map[string]bool{}
	hs := rc.hdrs()
	for _, h := range hs {
		ids[h.Get(DeliveryHeader)] = true
	}
	if len(ids) != 1 || len(hs) != 3 {
		t.Errorf("3 attempts should carry one delivery ID: %v", ids)
	}
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	rc := &receiver{t: t, secret: "always-failing-secret", fail: func(int) int { return http.StatusBadGateway }}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "regional"})
	n.MaxAttempts = 3
	n.Stories(context.Background(), []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	ds := waitLog(t, n.Store, rule.ID, 1)
	if len(ds) != 3 || ds[0].Status != store.DeliveryFailed || ds[0].Attempt != 3 || ds[0].HTTPStatus != 502 || ds[1].Status != store.DeliveryRetrying {
		t.Fatalf("log = %+v", ds)
	}
}

func TestOncePerTierChange(t *testing.T) {
	rc := &receiver{t: t, secret: "idempotency-secret-123"}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "neighbour"})
	ctx := context.Background()
	pact := story(t, "s1", map[string]float64{"IQ": 0.5, "IR": 0.46})
	japan := story(t, "s-jp", map[string]float64{"JP": 1}) // distant from Istanbul
	n.Stories(ctx, []article.Story{pact, japan})
	n.Stories(ctx, []article.Story{pact}) // the same story again: nothing new
	waitLog(t, n.Store, rule.ID, 1)

	// The story moves closer: its focus is now Turkey.
	closer := story(t, "s1", map[string]float64{"TR": 1})
	n.Stories(ctx, []article.Story{closer})
	n.Stories(ctx, []article.Story{closer})
	waitLog(t, n.Store, rule.ID, 2)
	// And back out: no alert for a farther tier.
	n.Stories(ctx, []article.Story{pact})
	time.Sleep(50 * time.Millisecond)

	ps := rc.got()
	if len(ps) != 2 {
		t.Fatalf("%d webhooks, want 2: %+v", len(ps), ps)
	}
	if ps[0].Lens.Tier != lens.Neighbour || ps[0].PreviousTier != "" || ps[1].Lens.Tier != lens.National || ps[1].PreviousTier != "neighbour" {
		t.Errorf("tiers: first %s (previous %q), second %s (previous %q)", ps[0].Lens.Tier, ps[0].PreviousTier, ps[1].Lens.Tier, ps[1].PreviousTier)
	}
	if ps[0].DeliveryID == ps[1].DeliveryID {
		t.Error("two tier changes share a delivery ID")
	}
	if n.Pending() != 0 {
		t.Errorf("%d alerts still queued", n.Pending())
	}
}

func TestRuleFilters(t *testing.T) {
	rc := &receiver{t: t, secret: "filter-secret-0123456"}
	n, sport := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "regional", Topics: []string{"sport"}})
	ctx := context.Background()
	big, err := n.Store.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", MinSources: 3,
		WebhookURL: sport.WebhookURL, Secret: rc.secret})
	if err != nil {
		t.Fatal(err)
	}
	n.Invalidate()
	iq := story(t, "s-iq", map[string]float64{"IQ": 1}) // politics, 2 sources
	n.Stories(ctx, []article.Story{iq})
	time.Sleep(50 * time.Millisecond)
	if ps := rc.got(); len(ps) != 0 {
		t.Fatalf("a politics story with 2 sources fired a sport rule or a 3-source rule: %+v", ps)
	}
	iq.IndependentSourceCount = 3
	n.Stories(ctx, []article.Story{iq})
	waitLog(t, n.Store, big.ID, 1)
	if ps := rc.got(); len(ps) != 1 || ps[0].RuleID != big.ID {
		t.Fatalf("webhooks = %+v, want one for rule %d", ps, big.ID)
	}
}

func TestConcurrentNotifiersSendOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testConcurrentNotifiers(t, openStore(t)) })
	t.Run("postgres", func(t *testing.T) { testConcurrentNotifiers(t, openPostgres(t)) })
}

// openPostgres opens a PostgreSQL store in a fresh schema of the server
// named by VANTAGE_TEST_POSTGRES_DSN, skipping without it.
func openPostgres(t *testing.T) store.Store { return postgresDB(t)() }

// postgresDB makes a fresh schema of the server named by
// VANTAGE_TEST_POSTGRES_DSN, dropped when the test ends, and returns a
// function that opens a store on it, as one more process would; it skips
// without the DSN.
func postgresDB(t *testing.T) func() store.Store {
	t.Helper()
	dsn := os.Getenv("VANTAGE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("VANTAGE_TEST_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_alerts_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return func() store.Store {
		t.Helper()
		db, err := postgres.Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

// sqliteDB returns a function that opens a store on one SQLite file, as
// one more process would.
func sqliteDB(t *testing.T) func() store.Store {
	path := filepath.Join(t.TempDir(), "v.db")
	return func() store.Store {
		t.Helper()
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
}

func testConcurrentNotifiers(t *testing.T, s store.Store) {
	rc := &receiver{t: t, secret: "concurrent-secret-01234"}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx := context.Background()
	rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: srv.URL, Secret: rc.secret})
	if err != nil {
		t.Fatal(err)
	}
	var sts []article.Story
	for _, iso := range []string{"IQ", "IR", "SY", "GR", "BG", "GE", "AM", "AZ"} {
		sts = append(sts, story(t, "s-"+iso, map[string]float64{iso: 1}))
	}
	eng := engine(t)
	var ns []*Notifier
	for range 4 {
		n := &Notifier{Store: s, Lens: eng, AllowPrivate: true, Backoff: time.Millisecond}
		start(t, n)
		ns = append(ns, n)
	}
	var wg sync.WaitGroup
	for _, n := range ns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				n.Stories(ctx, sts)
			}
		}()
	}
	wg.Wait()
	waitLog(t, s, rule.ID, len(sts))
	time.Sleep(50 * time.Millisecond)
	perStory := map[string]int{}
	for _, p := range rc.got() {
		perStory[p.Story.ID]++
	}
	if len(perStory) != len(sts) {
		t.Errorf("webhooks for %d stories, want %d: %v", len(perStory), len(sts), perStory)
	}
	for id, c := range perStory {
		if c != 1 {
			t.Errorf("story %s sent %d times", id, c)
		}
	}
}

func TestRefusesPrivateAddresses(t *testing.T) {
	rc := &receiver{t: t, secret: "private-secret-0123456"}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "regional"})
	n.AllowPrivate = false // the default client then refuses 127.0.0.1
	n.MaxAttempts = 1
	n.Stories(context.Background(), []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	ds := waitLog(t, n.Store, rule.ID, 1)
	if len(ds) != 1 || ds[0].Status != store.DeliveryFailed || !strings.Contains(ds[0].Error, ErrPrivateAddress.Error()) {
		t.Fatalf("log = %+v", ds)
	}
	if len(rc.got()) != 0 {
		t.Error("the webhook reached a loopback address")
	}
	for addr, want := range map[string]bool{"127.0.0.1:80": false, "10.1.2.3:443": false, "[::1]:80": false, "169.254.169.254:80": false,
		"[::ffff:192.168.0.1]:80": false, "100.64.0.1:80": false, "[fd00::1]:80": false, "93.184.215.14:443": true, "[2606:4700::1111]:443": true} {
		if err := refusePrivate("tcp", addr, nil); (err == nil) != want {
			t.Errorf("refusePrivate(%s) = %v, want allowed %v", addr, err, want)
		}
	}
}

func TestShutdownLeavesRetriesQueued(t *testing.T) {
	var up atomic.Bool
	rc := &receiver{t: t, secret: "shutdown-secret-012345", fail: func(int) int {
		if up.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	}}
	s := openStore(t)
	srv := httptest.NewServer(rc)
	defer srv.Close()
	ctx := context.Background()
	rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: srv.URL, Secret: rc.secret})
	if err != nil {
		t.Fatal(err)
	}
	n := &Notifier{Store: s, Lens: engine(t), AllowPrivate: true, Backoff: time.Hour, MaxBackoff: time.Hour}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { n.Run(rctx); close(done) }()
	n.Stories(ctx, []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	waitFor(t, "a first attempt", func() bool {
		ds, _ := s.Deliveries(ctx, rule.ID, 10)
		return len(ds) == 1
	})
	cancel()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not stop while a retry was pending")
	}
	ds, err := s.Deliveries(ctx, rule.ID, 10)
	if err != nil || len(ds) != 1 || ds[0].Status != store.DeliveryRetrying {
		t.Fatalf("log after shutdown = %+v, %v, want the one retrying attempt", ds, err)
	}
	// The retry stays queued, due in an hour: a notifier started two hours
	// later makes it.
	up.Store(true)
	later := &Notifier{Store: s, Lens: engine(t), AllowPrivate: true, Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}
	start(t, later)
	ds = waitLog(t, s, rule.ID, 1)
	if len(ds) != 2 || ds[0].Status != store.DeliveryDelivered || ds[0].Attempt != 2 {
		t.Fatalf("log = %+v, want attempt 2 delivered", ds)
	}
}

// waitFor waits, 10s at most, until ok.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s, no %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestShutdownFinishesInFlight(t *testing.T) {
	release := make(chan struct{})
	var started atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Store(true)
		<-release
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	s := openStore(t)
	ctx := context.Background()
	rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: srv.URL, Secret: "in-flight-secret-0123"})
	if err != nil {
		t.Fatal(err)
	}
	n := &Notifier{Store: s, Lens: engine(t), AllowPrivate: true, ShutdownGrace: 5 * time.Second}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { n.Run(rctx); close(done) }()
	n.Stories(ctx, []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	for !started.Load() {
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	time.Sleep(50 * time.Millisecond)
	close(release) // the receiver answers after the stop signal
	<-done
	ds, err := s.Deliveries(ctx, rule.ID, 10)
	if err != nil || len(ds) != 1 || ds[0].Status != store.DeliveryDelivered || ds[0].HTTPStatus != 202 {
		t.Fatalf("log = %+v, %v", ds, err)
	}
}

func TestRemovedRuleStopsFiring(t *testing.T) {
	rc := &receiver{t: t, secret: "removed-rule-secret-01"}
	n, rule := setup(t, rc, store.AlertRule{Place: "Istanbul", MinTier: "regional"})
	ctx := context.Background()
	n.Stories(ctx, []article.Story{story(t, "s-jp", map[string]float64{"JP": 1})}) // loads the rules
	if err := n.Store.RemoveAlertRule(ctx, rule.ID); err != nil {                  // behind the cache's back
		t.Fatal(err)
	}
	n.Stories(ctx, []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
	n.Stories(ctx, []article.Story{story(t, "s-sy", map[string]float64{"SY": 1})})
	time.Sleep(50 * time.Millisecond)
	if len(rc.got()) != 0 {
		t.Error("a removed rule fired")
	}
	if _, err := n.Store.Deliveries(ctx, rule.ID, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deliveries of the removed rule: %v", err)
	}
}
