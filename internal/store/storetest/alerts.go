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
		ok, err := s.ClaimAlert(ctx, rule, story, tier, rank)
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
	if _, err := s.ClaimAlert(ctx, 1<<40, "s1", "here", 0); !errors.Is(err, store.ErrNotFound) {
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
				ok, err := s.ClaimAlert(ctx, r1.ID, "race", c.tier, c.rank)
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
	if _, err := s.ClaimAlert(ctx, r1.ID, "s9", "here", 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("claim for a removed rule: %v, want ErrNotFound", err)
	}
	rules, err = s.AlertRules(ctx)
	if err != nil || len(rules) != 1 || rules[0].ID != r2.ID {
		t.Errorf("rules after removal = %+v, %v", rules, err)
	}
}
