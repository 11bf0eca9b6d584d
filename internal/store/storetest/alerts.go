package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/store"
)

func testAlerts(t *testing.T, s store.Store) {
	ctx := context.Background()
	r1, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul, Turkey", PlaceID: 745044, MinTier: "neighbour",
		Topics: []string{"politics", "diplomacy"}, MinSources: 2, WebhookURL: "https://hooks.example.com/a", Secret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Kurdistan", MinTier: "here", WebhookURL: "https://hooks.example.com/b", Secret: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if r1.ID == 0 || r2.ID == 0 || r1.ID == r2.ID {
		t.Fatalf("rule IDs %d, %d", r1.ID, r2.ID)
	}
	if r1.Created.IsZero() || time.Since(r1.Created) > time.Hour {
		t.Errorf("created = %v, want about now", r1.Created)
	}
	if _, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Paris", MinTier: "here"}); err == nil {
		t.Error("a rule without a webhook URL was saved")
	}
	rules, err := s.AlertRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].ID != r1.ID || rules[1].ID != r2.ID {
		t.Fatalf("rules = %+v, want the two added, oldest first", rules)
	}
	got := rules[0]
	if got.Place != "Istanbul, Turkey" || got.PlaceID != 745044 || got.MinTier != "neighbour" || !slices.Equal(got.Topics, []string{"politics", "diplomacy"}) ||
		got.MinSources != 2 || got.WebhookURL != "https://hooks.example.com/a" || got.Secret != "s3cret" || !got.Created.Equal(r1.Created) {
		t.Errorf("read back %+v, want %+v", got, r1)
	}
	if rules[1].Topics != nil || rules[1].PlaceID != 0 || rules[1].Secret != "other" {
		t.Errorf("second rule read back %+v", rules[1])
	}

	// Claims: once per story per rule per move to a closer tier.
	claim := func(rule int64, story, tier string, rank int, want bool) {
		t.Helper()
		ok, err := s.ClaimAlert(ctx, queued(rule, story, tier), rank)
		if err != nil {
			t.Fatalf("claim %d/%s/%s: %v", rule, story, tier, err)
		}
		if ok != want {
			t.Errorf("claim %d/%s/%s = %v, want %v", rule, story, tier, ok, want)
		}
	}
	claim(r1.ID, "s1", "regional", 5, true)
	claim(r1.ID, "s1", "regional", 5, false) // same tier again
	claim(r1.ID, "s1", "tied", 6, false)     // moved farther
	claim(r1.ID, "s1", "neighbour", 3, true) // moved closer
	claim(r1.ID, "s1", "nearby", 4, false)
	claim(r1.ID, "s1", "neighbour", 3, false)
	claim(r1.ID, "s2", "neighbour", 3, true) // another story
	claim(r2.ID, "s1", "neighbour", 3, true) // another rule
	if tier, err := s.ClaimedTier(ctx, r1.ID, "s1"); err != nil || tier != "neighbour" {
		t.Errorf("claimed tier = %q, %v, want neighbour", tier, err)
	}
	if tier, err := s.ClaimedTier(ctx, r1.ID, "never"); err != nil || tier != "" {
		t.Errorf("claimed tier of an unclaimed story = %q, %v, want empty", tier, err)
	}
	if _, err := s.ClaimAlert(ctx, queued(1<<40, "s1", "here"), 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim for a missing rule: %v, want ErrNotFound", err)
	}

	// Concurrent claims of one story and tier: exactly one wins, and so
	// does exactly one of a concurrent move to a closer tier.
	for _, c := range []struct {
		tier string
		rank int
	}{{"national", 1}, {"here", 0}} {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			wins int
		)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.ClaimAlert(ctx, queued(r1.ID, "race", c.tier), c.rank)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d of 8 concurrent claims at %s won, want 1", wins, c.tier)
		}
	}

	// The delivery log, newest first.
	if ds, err := s.Deliveries(ctx, r2.ID, 10); err != nil || len(ds) != 0 {
		t.Errorf("deliveries of a fresh rule = %v, %v, want none", ds, err)
	}
	base := time.Date(2025, 6, 20, 12, 0, 0, 0, time.UTC)
	statuses := []string{store.DeliveryRetrying, store.DeliveryRetrying, store.DeliveryDelivered}
	for i, st := range statuses {
		d := store.Delivery{ID: "d1", RuleID: r1.ID, StoryID: "s1", Tier: "neighbour", Attempt: i + 1, Status: st,
			At: base.Add(time.Duration(i) * 1500 * time.Millisecond)}
		if st != store.DeliveryDelivered {
			d.HTTPStatus, d.Error = 500, "HTTP 500 Internal Server Error"
		} else {
			d.HTTPStatus = 204
		}
		if err := s.RecordDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	// Two attempts in the same millisecond keep their recording order.
	for i := range 2 {
		d := store.Delivery{ID: "d2", RuleID: r1.ID, StoryID: "s2", Tier: "here", Attempt: i + 1, Status: store.DeliveryFailed,
			Error: fmt.Sprintf("dial: refused %d", i), At: base.Add(time.Minute)}
		if err := s.RecordDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.Deliveries(ctx, r1.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 5 {
		t.Fatalf("%d deliveries, want 5: %+v", len(ds), ds)
	}
	if ds[0].ID != "d2" || ds[0].Attempt != 2 || ds[1].Attempt != 1 || ds[2].Status != store.DeliveryDelivered || ds[4].Attempt != 1 {
		t.Errorf("deliveries not newest first: %+v", ds)
	}
	want := store.Delivery{ID: "d1", RuleID: r1.ID, StoryID: "s1", Tier: "neighbour", Attempt: 2, Status: store.DeliveryRetrying,
		HTTPStatus: 500, Error: "HTTP 500 Internal Server Error", At: base.Add(1500 * time.Millisecond)}
	if got := ds[3]; got.ID != want.ID || got.RuleID != want.RuleID || got.StoryID != want.StoryID || got.Tier != want.Tier ||
		got.Attempt != want.Attempt || got.Status != want.Status || got.HTTPStatus != want.HTTPStatus || got.Error != want.Error || !got.At.Equal(want.At) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
	if ds, err := s.Deliveries(ctx, r1.ID, 2); err != nil || len(ds) != 2 || ds[0].ID != "d2" {
		t.Errorf("limited deliveries = %+v, %v", ds, err)
	}
	if err := s.RecordDelivery(ctx, store.Delivery{ID: "x", RuleID: 1 << 40, StoryID: "s1", Tier: "here", Attempt: 1, Status: store.DeliveryFailed}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delivery for a missing rule: %v, want ErrNotFound", err)
	}
	if _, err := s.Deliveries(ctx, 1<<40, 10); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deliveries of a missing rule: %v, want ErrNotFound", err)
	}

	// Removal takes the claims and the log with it.
	if err := s.RemoveAlertRule(ctx, r1.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAlertRule(ctx, r1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second removal: %v, want ErrNotFound", err)
	}
	if _, err := s.Deliveries(ctx, r1.ID, 10); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deliveries of a removed rule: %v, want ErrNotFound", err)
	}
	if _, err := s.ClaimAlert(ctx, queued(r1.ID, "s9", "here"), 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim for a removed rule: %v, want ErrNotFound", err)
	}
	rules, err = s.AlertRules(ctx)
	if err != nil || len(rules) != 1 || rules[0].ID != r2.ID {
		t.Errorf("rules after removal = %+v, %v", rules, err)
	}
}

// queued is an alert to claim, due at once, with a delivery ID of its own.
func queued(rule int64, story, tier string) store.QueuedAlert {
	return store.QueuedAlert{ID: fmt.Sprintf("%d/%s/%s", rule, story, tier), RuleID: rule, StoryID: story, Tier: tier,
		Payload: []byte(`{"story":"` + story + `"}`)}
}

func testAlertQueue(t *testing.T, s store.Store) {
	ctx := context.Background()
	rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: "https://hooks.example.com/q", Secret: "queue-secret"})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 6, 20, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return base.Add(d) }
	enqueue := func(story string, due time.Time) store.QueuedAlert {
		t.Helper()
		a := queued(rule.ID, story, "national")
		a.NextAt = due
		ok, err := s.ClaimAlert(ctx, a, 1)
		if err != nil || !ok {
			t.Fatalf("claim %s = %v, %v, want claimed", story, ok, err)
		}
		return a
	}
	lease := func(owner string, now, until time.Time, limit int, want ...string) []store.QueuedAlert {
		t.Helper()
		got, err := s.LeaseAlerts(ctx, owner, now, until, limit)
		if err != nil {
			t.Fatalf("lease by %s at %v: %v", owner, now.Sub(base), err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.StoryID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("lease by %s at +%v = %v, want %v", owner, now.Sub(base), ids, want)
		}
		return got
	}
	record := func(a store.QueuedAlert, lease, status string, next time.Time) {
		t.Helper()
		d := store.Delivery{ID: a.ID, RuleID: a.RuleID, StoryID: a.StoryID, Tier: a.Tier, Attempt: a.Attempts, Status: status,
			Lease: lease, NextAt: next, At: base}
		if err := s.RecordDelivery(ctx, d); err != nil {
			t.Fatalf("record %s by %s: %v", a.StoryID, lease, err)
		}
	}

	a1 := enqueue("s1", at(0))
	enqueue("s2", at(time.Second))
	enqueue("s3", at(time.Hour))
	// A lost claim queues nothing.
	again := queued(rule.ID, "s1", "national")
	again.ID = "lost-claim"
	if ok, err := s.ClaimAlert(ctx, again, 1); ok || err != nil {
		t.Fatalf("second claim at the same tier = %v, %v", ok, err)
	}
	if _, err := s.ClaimAlert(ctx, store.QueuedAlert{RuleID: rule.ID, StoryID: "s9", Tier: "here"}, 0); err == nil {
		t.Error("an alert without a delivery ID was queued")
	}

	lease("A", at(-time.Millisecond), at(time.Minute), 10) // nothing due yet
	got := lease("A", at(2*time.Second), at(time.Minute), 10, "s1", "s2")
	if g := got[0]; g.ID != a1.ID || g.RuleID != rule.ID || g.Tier != "national" || string(g.Payload) != `{"story":"s1"}` ||
		g.Attempts != 1 || !g.NextAt.Equal(at(0)) {
		t.Errorf("leased %+v, want %+v with attempt 1", g, a1)
	}
	lease("B", at(3*time.Second), at(2*time.Minute), 10) // both leased to A

	// A retry makes s1 due again later and ends A's lease; a record by
	// someone who does not hold the lease is logged but moves nothing.
	record(got[0], "A", store.DeliveryRetrying, at(10*time.Second))
	record(got[1], "B", store.DeliveryDelivered, time.Time{})
	lease("B", at(5*time.Second), at(2*time.Minute), 10)
	s1 := lease("B", at(10*time.Second), at(2*time.Minute), 1, "s1")
	if s1[0].Attempts != 2 {
		t.Errorf("second lease of s1 at attempt %d, want 2", s1[0].Attempts)
	}
	// A dies holding s2: its lease ends and another owner gets it.
	lease("C", at(59*time.Second), at(3*time.Minute), 10)
	s2 := lease("C", at(time.Minute), at(3*time.Minute), 10, "s2")
	if s2[0].Attempts != 2 {
		t.Errorf("s2 after a dead holder at attempt %d, want 2", s2[0].Attempts)
	}
	record(s2[0], "C", store.DeliveryDelivered, time.Time{})
	record(s1[0], "B", store.DeliveryFailed, time.Time{})
	// Delivered and given-up alerts are never handed out again.
	lease("D", at(2*time.Hour), at(10*time.Hour), 10, "s3")

	ds, err := s.Deliveries(ctx, rule.ID, 0)
	if err != nil || len(ds) != 4 {
		t.Fatalf("log = %+v, %v, want 4 attempts", ds, err)
	}
	if _, err := s.LeaseAlerts(ctx, "", at(0), at(time.Minute), 1); err == nil {
		t.Error("a lease without an owner was granted")
	}
	if as, err := s.LeaseAlerts(ctx, "E", at(0), at(time.Minute), 0); err != nil || len(as) != 0 {
		t.Errorf("lease with limit 0 = %v, %v", as, err)
	}

	// Owners leasing at once get each due alert exactly once.
	const n = 24
	for i := range n {
		enqueue(fmt.Sprintf("c%02d", i), at(3*time.Hour))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]int{}
	)
	for o := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				as, err := s.LeaseAlerts(ctx, fmt.Sprintf("owner-%d", o), at(4*time.Hour), at(5*time.Hour), 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(as) == 0 {
					return
				}
				mu.Lock()
				for _, a := range as {
					seen[a.StoryID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d of %d alerts leased", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("alert %s leased %d times at once", id, c)
		}
	}

	// Removing the rule empties its queue.
	enqueue("gone", at(5*time.Hour))
	if err := s.RemoveAlertRule(ctx, rule.ID); err != nil {
		t.Fatal(err)
	}
	lease("F", at(100*time.Hour), at(101*time.Hour), 100)
}

// testAlertRetention: PruneAlerts deletes finished alerts and logged
// attempts older than its cut-off, and never a pending or leased alert, the
// attempts of one, or a claim.
func testAlertRetention(t *testing.T, s store.Store) {
	ctx := context.Background()
	rule, err := s.AddAlertRule(ctx, store.AlertRule{Place: "Istanbul", MinTier: "regional", WebhookURL: "https://hooks.example.com/r", Secret: "retention-secret"})
	if err != nil {
		t.Fatal(err)
	}
	// The store stamps a queue entry's end with its own clock: the cut-off
	// falls between the alerts finished before it and those after.
	old := time.Now().Add(-48 * time.Hour) // when the early attempts are logged
	far := time.Now().Add(1000 * time.Hour)
	claim := func(story string, due time.Time) {
		t.Helper()
		a := queued(rule.ID, story, "national")
		a.NextAt = due
		if ok, err := s.ClaimAlert(ctx, a, 1); err != nil || !ok {
			t.Fatalf("claim %s = %v, %v, want claimed", story, ok, err)
		}
	}
	// attempt claims an alert due now, leases it and, unless status is
	// empty, records an attempt at it logged at at.
	attempt := func(story, status string, at, next time.Time) {
		t.Helper()
		claim(story, time.Time{})
		now := time.Now()
		as, err := s.LeaseAlerts(ctx, "R", now, now.Add(time.Hour), 10)
		if err != nil || len(as) != 1 || as[0].StoryID != story {
			t.Fatalf("lease of %s = %+v, %v", story, as, err)
		}
		if status == "" {
			return
		}
		a := as[0]
		if err := s.RecordDelivery(ctx, store.Delivery{ID: a.ID, RuleID: rule.ID, StoryID: story, Tier: a.Tier, Attempt: a.Attempts,
			Status: status, Lease: "R", NextAt: next, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	attempt("done", store.DeliveryDelivered, old, time.Time{})
	attempt("gaveup", store.DeliveryFailed, old, time.Time{})
	attempt("retrying", store.DeliveryRetrying, old, far) // pending, with an old attempt
	attempt("leased", "", time.Time{}, time.Time{})       // pending, leased
	// An attempt logged without a queue entry (an alert from before the queue).
	if err := s.RecordDelivery(ctx, store.Delivery{ID: "legacy", RuleID: rule.ID, StoryID: "legacy", Tier: "national", Attempt: 1,
		Status: store.DeliveryDelivered, At: old}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	cut := time.Now()
	time.Sleep(20 * time.Millisecond)
	attempt("recent", store.DeliveryDelivered, time.Now(), time.Time{})
	claim("pending", far) // pending, never attempted

	logged := func() []string {
		t.Helper()
		ds, err := s.Deliveries(ctx, rule.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.StoryID)
		}
		slices.Sort(ids)
		return ids
	}
	if got, want := logged(), []string{"done", "gaveup", "legacy", "recent", "retrying"}; !slices.Equal(got, want) {
		t.Fatalf("log before pruning = %v, want %v", got, want)
	}

	// Two finished entries and three attempts are older than the cut-off.
	if n, err := s.PruneAlerts(ctx, cut); err != nil || n != 5 {
		t.Errorf("pruned %d rows, %v, want 5 (2 queue entries, 3 attempts)", n, err)
	}
	if got, want := logged(), []string{"recent", "retrying"}; !slices.Equal(got, want) {
		t.Errorf("log after pruning = %v, want %v", got, want)
	}
	if n, err := s.PruneAlerts(ctx, cut); err != nil || n != 0 {
		t.Errorf("pruned again: %d rows, %v, want none", n, err)
	}

	// A later cut-off takes the recent alert too, and still no pending one.
	if n, err := s.PruneAlerts(ctx, far.Add(time.Hour)); err != nil || n != 2 {
		t.Errorf("pruned %d rows with a cut-off in the future, %v, want 2 (the recent entry and attempt)", n, err)
	}
	if got, want := logged(), []string{"retrying"}; !slices.Equal(got, want) {
		t.Errorf("log after pruning everything = %v, want %v (the attempt of a pending alert)", got, want)
	}
	as, err := s.LeaseAlerts(ctx, "S", far.Add(time.Hour), far.Add(2*time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	var pending []string
	for _, a := range as {
		pending = append(pending, a.StoryID)
	}
	slices.Sort(pending)
	if want := []string{"leased", "pending", "retrying"}; !slices.Equal(pending, want) {
		t.Errorf("pending alerts after pruning = %v, want %v", pending, want)
	}

	// The claims stay: a pruned alert is not claimed, nor sent, again.
	for _, story := range []string{"done", "gaveup", "recent"} {
		if tier, err := s.ClaimedTier(ctx, rule.ID, story); err != nil || tier != "national" {
			t.Errorf("claimed tier of pruned %s = %q, %v, want national", story, tier, err)
		}
		if ok, err := s.ClaimAlert(ctx, queued(rule.ID, story, "national"), 1); err != nil || ok {
			t.Errorf("claim of pruned %s again = %v, %v, want not claimed", story, ok, err)
		}
	}
}
