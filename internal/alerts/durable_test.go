package alerts

import (
	"context"
	"net"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
)

// backends are the stores the queue tests run on: each entry makes a
// database and returns a function that opens it as one more process would.
var backends = []struct {
	name string
	db   func(t *testing.T) func() store.Store
}{
	{"sqlite", sqliteDB},
	{"postgres", postgresDB},
}

// run starts n.Run and returns a function that stops it and waits until
// Run has returned.
func run(t *testing.T, n *Notifier) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { n.Run(ctx); close(done) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return within 10s of its context ending")
		}
	}
	t.Cleanup(stop)
	return stop
}

// finished reports that no queued alert is left to deliver: a lease at a
// far later time gets none.
func finished(t *testing.T, s store.Store) {
	t.Helper()
	far := time.Now().Add(1000 * time.Hour)
	left, err := s.LeaseAlerts(context.Background(), "test-inspector", far, far.Add(time.Minute), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("%d alerts still queued after delivery: %+v", len(left), left)
	}
}

// TestQueueSurvivesRestart queues an alert while its receiver is down,
// stops the notifier, starts another on the same database (a new process)
// and brings the receiver up: the alert arrives once, signed.
func TestQueueSurvivesRestart(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			open := b.db(t)
			ctx := context.Background()
			// An address where nothing listens yet.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			rc := &receiver{t: t, secret: "restart-secret-0123456789"}

			s1 := open()
			rule, err := s1.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "neighbour",
				WebhookURL: "http://" + addr + "/hook", Secret: rc.secret})
			if err != nil {
				t.Fatal(err)
			}
			eng := engine(t)
			first := &Notifier{Store: s1, Lens: eng, AllowPrivate: true, MaxAttempts: 1000,
				Backoff: 20 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
			stop := run(t, first)
			pact := story(t, "s-pact", map[string]float64{"IQ": 0.5, "IR": 0.46})
			first.Stories(ctx, []article.Story{pact})
			waitFor(t, "failed attempt against the receiver that is down", func() bool {
				ds, err := s1.Deliveries(ctx, rule.ID, 10)
				return err == nil && len(ds) > 0
			})
			stop()
			before, err := s1.Deliveries(ctx, rule.ID, 500)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range before {
				if d.Status != store.DeliveryRetrying || d.HTTPStatus != 0 {
					t.Fatalf("attempt before the restart: %+v, want retrying without an answer", d)
				}
			}
			s1.Close()

			// The receiver comes up, then a new process on the same database.
			// (Up first: a notifier started while it is still down would make
			// one more failed attempt, as many as the scheduler allows.)
			ln, err = net.Listen("tcp", addr)
			if err != nil {
				t.Skipf("cannot listen on %s again: %v", addr, err)
			}
			srv := httptest.NewUnstartedServer(rc)
			srv.Listener.Close()
			srv.Listener = ln
			srv.Start()
			defer srv.Close()
			s2 := open()
			// The retry the first left is due within 20ms; this notifier was not
			// told of it and finds it in the queue.
			second := &Notifier{Store: s2, Lens: eng, AllowPrivate: true, MaxAttempts: 1000, Backoff: 20 * time.Millisecond,
				PollInterval: 50 * time.Millisecond}
			run(t, second)

			ds := waitLog(t, s2, rule.ID, 1)
			ps := rc.got()
			if len(ps) != 1 {
				t.Fatalf("%d webhooks, want 1: %+v", len(ps), ps)
			}
			id := DeliveryID(rule.ID, "s-pact", lens.Neighbour)
			p := ps[0]
			if p.DeliveryID != id || p.RuleID != rule.ID || p.Story.ID != "s-pact" || p.Story.Headline != pact.Headline ||
				p.Lens.Tier != lens.Neighbour || p.Lens.Text == "" || len(p.Lens.Evidence) == 0 || p.SentAt.IsZero() {
				t.Errorf("payload rebuilt from the queue = %+v", p)
			}
			h := rc.hdrs()[0]
			attempt, _ := strconv.Atoi(h.Get(AttemptHeader))
			if h.Get(DeliveryHeader) != id || attempt != len(before)+1 {
				t.Errorf("delivery %q attempt %q, want %s attempt %d", h.Get(DeliveryHeader), h.Get(AttemptHeader), id, len(before)+1)
			}
			if ds[0].Status != store.DeliveryDelivered || ds[0].Attempt != attempt || ds[0].HTTPStatus != 200 || len(ds) != len(before)+1 {
				t.Errorf("log = %+v, want %d retries then the delivery", ds, len(before))
			}
			finished(t, s2)
		})
	}
}

// TestCrashedAttemptIsRetried: a process took an alert from the queue and
// died before recording the attempt. Once its lease ends, the next notifier
// makes the attempt again, or gives up when it was the last.
func TestCrashedAttemptIsRetried(t *testing.T) {
	tests := []struct {
		name        string
		maxAttempts int
		want        store.Delivery // the last log entry
		webhooks    int
	}{
		{"attempts left", 5, store.Delivery{Attempt: 2, Status: store.DeliveryDelivered, HTTPStatus: 200}, 1},
		{"it was the last", 1, store.Delivery{Attempt: 1, Status: store.DeliveryFailed}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{t: t, secret: "crash-secret-0123456789"}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			s := openStore(t)
			ctx := context.Background()
			rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: srv.URL, Secret: rc.secret})
			if err != nil {
				t.Fatal(err)
			}
			eng := engine(t)
			// Stories without Run queues the alert; the dead process leases it.
			(&Notifier{Store: s, Lens: eng}).Stories(ctx, []article.Story{story(t, "s-iq", map[string]float64{"IQ": 1})})
			const lease = 300 * time.Millisecond
			now := time.Now()
			if got, err := s.LeaseAlerts(ctx, "dead-process", now, now.Add(lease), 10); err != nil || len(got) != 1 {
				t.Fatalf("lease = %+v, %v", got, err)
			}
			n := &Notifier{Store: s, Lens: eng, AllowPrivate: true, MaxAttempts: tt.maxAttempts, Lease: lease, PollInterval: 20 * time.Millisecond}
			run(t, n)
			ds := waitLog(t, s, rule.ID, 1)
			if len(ds) != 1 || ds[0].Attempt != tt.want.Attempt || ds[0].Status != tt.want.Status || ds[0].HTTPStatus != tt.want.HTTPStatus {
				t.Fatalf("log = %+v, want one entry like %+v", ds, tt.want)
			}
			if got := len(rc.got()); got != tt.webhooks {
				t.Errorf("%d webhooks, want %d", got, tt.webhooks)
			}
			if tt.webhooks > 0 && rc.hdrs()[0].Get(AttemptHeader) != strconv.Itoa(tt.want.Attempt) {
				t.Errorf("attempt header %q, want %d", rc.hdrs()[0].Get(AttemptHeader), tt.want.Attempt)
			}
			finished(t, s)
		})
	}
}

// TestNotifiersShareQueue: alerts queued while no notifier ran are
// delivered once each when several notifiers, each with its own connection
// to one database, start together.
func TestNotifiersShareQueue(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			open := b.db(t)
			rc := &receiver{t: t, secret: "shared-queue-secret-0123"}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			ctx := context.Background()
			s := open()
			rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: srv.URL, Secret: rc.secret})
			if err != nil {
				t.Fatal(err)
			}
			var sts []article.Story
			for _, iso := range []string{"IQ", "IR", "SY", "GR", "BG", "GE", "AM", "AZ"} {
				sts = append(sts, story(t, "s-"+iso, map[string]float64{iso: 1}))
			}
			eng := engine(t)
			(&Notifier{Store: s, Lens: eng}).Stories(ctx, sts) // queued, nothing runs
			if ds, err := s.Deliveries(ctx, rule.ID, 10); err != nil || len(ds) != 0 {
				t.Fatalf("deliveries before any Run: %+v, %v", ds, err)
			}
			for range 3 {
				run(t, &Notifier{Store: open(), Lens: eng, AllowPrivate: true, Workers: 2, Backoff: time.Millisecond})
			}
			ds := waitLog(t, s, rule.ID, len(sts))
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
			for _, d := range ds {
				if d.Status != store.DeliveryDelivered || d.Attempt != 1 {
					t.Errorf("log entry %+v, want each alert delivered at its first attempt", d)
				}
			}
			finished(t, s)
		})
	}
}

// TestBackoff: the wait after each failed attempt doubles from Backoff up
// to MaxBackoff; a longer Retry-After wins within MaxBackoff.
func TestBackoff(t *testing.T) {
	n := &Notifier{Backoff: time.Second, MaxBackoff: 10 * time.Second}
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{1, 0, time.Second},
		{2, 0, 2 * time.Second},
		{4, 0, 8 * time.Second},
		{5, 0, 10 * time.Second},
		{60, 0, 10 * time.Second},
		{1, 5 * time.Second, 5 * time.Second},
		{1, time.Hour, 10 * time.Second},
	}
	for _, tt := range tests {
		if got := n.backoff(tt.attempt, tt.retryAfter); got != tt.want {
			t.Errorf("backoff(%d, %v) = %v, want %v", tt.attempt, tt.retryAfter, got, tt.want)
		}
	}
}
