package alerts

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/store"
)

// lockedBuffer is a log sink safe for the notifier's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPrunesOnStart: Run deletes the logged attempts and finished alerts
// older than Retention as it starts, and keeps recent ones and the claims;
// a negative Retention keeps everything.
func TestPrunesOnStart(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.db(t)()
			ctx := context.Background()
			rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "neighbour",
				WebhookURL: "http://127.0.0.1:1/hook", Secret: "retention-secret-0123456789"})
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			// An alert delivered 40 days ago, and one an hour ago.
			for _, a := range []struct {
				story string
				at    time.Time
			}{{"s-old", now.Add(-40 * 24 * time.Hour)}, {"s-recent", now.Add(-time.Hour)}} {
				q := store.QueuedAlert{ID: "d-" + a.story, RuleID: rule.ID, StoryID: a.story, Tier: "here", Payload: []byte(`{}`)}
				if ok, err := s.ClaimAlert(ctx, q, 0); err != nil || !ok {
					t.Fatalf("claim %s = %v, %v", a.story, ok, err)
				}
				due := time.Now()
				ls, err := s.LeaseAlerts(ctx, "test", due, due.Add(time.Minute), 10)
				if err != nil || len(ls) != 1 {
					t.Fatalf("lease %s = %+v, %v", a.story, ls, err)
				}
				if err := s.RecordDelivery(ctx, store.Delivery{ID: q.ID, RuleID: rule.ID, StoryID: a.story, Tier: q.Tier,
					Attempt: 1, Status: store.DeliveryDelivered, HTTPStatus: 204, At: a.at, Lease: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			logged := func() []string {
				t.Helper()
				ds, err := s.Deliveries(ctx, rule.ID, 100)
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, d := range ds {
					ids = append(ids, d.StoryID)
				}
				return ids
			}

			// Retention < 0: nothing is pruned (pruneLoop returns at once
			// instead of waiting for its next round).
			keepAll := &Notifier{Store: s, Retention: -1}
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			keepAll.pruneLoop(pctx)
			if pctx.Err() != nil {
				t.Error("pruneLoop with a negative Retention did not return at once")
			}
			cancel()
			if got := logged(); len(got) != 2 {
				t.Fatalf("log with pruning off = %v, want both attempts", got)
			}

			// The default retention, 30 days, prunes the old attempt at
			// the start of Run.
			var logs lockedBuffer
			n := &Notifier{Store: s, Lens: engine(t), AllowPrivate: true,
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			stop := run(t, n)
			waitFor(t, "pruning at the start of Run", func() bool { return slices.Equal(logged(), []string{"s-recent"}) })
			stop()
			if !strings.Contains(logs.String(), "rows=1") {
				t.Errorf("the pruning was not logged with its row count:\n%s", logs.String())
			}
			// The claims stay: the old alert does not fire again.
			if tier, err := s.ClaimedTier(ctx, rule.ID, "s-old"); err != nil || tier != "here" {
				t.Errorf("claim of the pruned alert = %q, %v, want here", tier, err)
			}
			if ok, err := s.ClaimAlert(ctx, store.QueuedAlert{ID: "again", RuleID: rule.ID, StoryID: "s-old", Tier: "here", Payload: []byte(`{}`)}, 0); err != nil || ok {
				t.Errorf("claim of the pruned alert again = %v, %v, want not claimed", ok, err)
			}
		})
	}
}
