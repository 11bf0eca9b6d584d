package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
)

var (
	day = time.Date(2023, 3, 19, 10, 0, 0, 0, time.UTC)
	now = time.Date(2023, 3, 20, 8, 30, 15, 123456789, time.UTC)
)

func TestCheckNormalised(t *testing.T) {
	ok := article.Article{ID: "a", ContentHash: "h"}
	tests := []struct {
		arts []article.Article
		err  string
	}{
		{nil, ""},
		{[]article.Article{ok, ok}, ""},
		{[]article.Article{ok, {ID: "b"}}, "article 1 is not normalised (no ID or content hash)"},
		{[]article.Article{{ContentHash: "h"}, {}}, "article 0 is not normalised (no ID or content hash)"},
	}
	for _, tt := range tests {
		err := store.CheckNormalised(tt.arts)
		if got := errString(err); got != tt.err {
			t.Errorf("CheckNormalised(%d articles) = %q, want %q", len(tt.arts), got, tt.err)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNewArticleRecord(t *testing.T) {
	tests := []struct {
		name     string
		a        article.Article
		fetched  time.Time
		sort     time.Time
		analysis string
		story    string
	}{
		{name: "undated, unfetched", fetched: now, sort: now},
		{name: "fetched", a: article.Article{Fetched: day}, fetched: day, sort: day},
		{name: "published", a: article.Article{Published: day}, fetched: now, sort: day},
		{name: "analysed", a: article.Article{Published: day, Analysis: &article.Analysis{StoryID: "s1", Topics: []article.Topic{{Slug: "politics"}}}},
			fetched: now, sort: day, analysis: `{"topics":[{"slug":"politics"`, story: "s1"},
		{name: "unassigned", a: article.Article{Analysis: &article.Analysis{}}, fetched: now, sort: now, analysis: `{}`},
	}
	for _, tt := range tests {
		rec, err := store.NewArticleRecord(&tt.a, now)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !tt.a.Fetched.Equal(tt.fetched) || !rec.SortTime.Equal(tt.sort) || rec.StoryID != tt.story ||
			(tt.analysis == "") != (rec.Analysis == nil) || !strings.HasPrefix(string(rec.Analysis), tt.analysis) {
			t.Errorf("%s: fetched %v, record %+v (analysis %s)", tt.name, tt.a.Fetched, rec, rec.Analysis)
		}
	}
}

func TestSetAnalysis(t *testing.T) {
	s1, d1, empty := "s1", "a0", ""
	tests := []struct {
		name           string
		analysis       string
		story, dup     *string
		want           *article.Analysis
		err            bool
		topics, places int
	}{
		{name: "nothing"},
		{name: "analysis", analysis: `{"topics":[{"slug":"x"}],"story":"old"}`, want: &article.Analysis{StoryID: "old"}, topics: 1},
		{name: "assigned", analysis: `{"story":"old"}`, story: &s1, want: &article.Analysis{StoryID: "s1"}},
		{name: "duplicate, no analysis", dup: &d1, want: &article.Analysis{DupOf: "a0"}},
		{name: "empty assignment", story: &empty, want: &article.Analysis{}},
		{name: "bad analysis", analysis: `{"topics":`, err: true},
	}
	for _, tt := range tests {
		a := article.Article{ID: "a1"}
		err := store.SetAnalysis(&a, []byte(tt.analysis), tt.story, tt.dup)
		if tt.err {
			if err == nil || !strings.HasPrefix(err.Error(), "decode analysis of a1: ") {
				t.Errorf("%s: err = %v", tt.name, err)
			}
			continue
		}
		switch {
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case (a.Analysis == nil) != (tt.want == nil):
			t.Errorf("%s: analysis %+v, want %+v", tt.name, a.Analysis, tt.want)
		case a.Analysis != nil && (a.Analysis.StoryID != tt.want.StoryID || a.Analysis.DupOf != tt.want.DupOf || len(a.Analysis.Topics) != tt.topics):
			t.Errorf("%s: analysis %+v, want %+v with %d topics", tt.name, a.Analysis, tt.want, tt.topics)
		}
	}
}

func TestStoryRecords(t *testing.T) {
	stories := []article.Story{
		{ID: "seen", Headline: "A", LastSeen: day, Updated: day.Add(time.Hour)},
		{ID: "updated", Updated: day.Add(time.Hour)},
		{ID: "new"},
	}
	recs, err := store.StoryRecords(stories, now)
	if err != nil || len(recs) != 3 {
		t.Fatalf("StoryRecords: %d, %v", len(recs), err)
	}
	for i, want := range []time.Time{day, day.Add(time.Hour), now} {
		if recs[i].Story != &stories[i] || !recs[i].LastSeen.Equal(want) {
			t.Errorf("record %d: story %p (want %p), last seen %v, want %v", i, recs[i].Story, &stories[i], recs[i].LastSeen, want)
		}
		s, err := store.DecodeStory(recs[i].ID, recs[i].Data)
		if err != nil || s.ID != stories[i].ID || s.Headline != stories[i].Headline {
			t.Errorf("record %d decodes as %+v, %v", i, s, err)
		}
	}
	if _, err := store.StoryRecords([]article.Story{{ID: "a"}, {}}, now); errString(err) != "story 1 has no ID" {
		t.Errorf("story without ID: err = %v", err)
	}
	if _, err := store.DecodeStory("s9", []byte("{")); err == nil || !strings.HasPrefix(err.Error(), "story s9: decode: ") {
		t.Errorf("bad record: err = %v", err)
	}
}

func TestNewAlertRule(t *testing.T) {
	tests := []struct {
		name string
		in   store.AlertRule
		want store.AlertRule
		err  string
	}{
		{name: "defaults", in: store.AlertRule{Place: "Basra", WebhookURL: "https://h.example/x"},
			want: store.AlertRule{Place: "Basra", WebhookURL: "https://h.example/x", Created: now, Topics: []string{}}},
		{name: "kept", in: store.AlertRule{WebhookURL: "https://h.example/x", Created: day, Topics: []string{"politics"}},
			want: store.AlertRule{WebhookURL: "https://h.example/x", Created: day, Topics: []string{"politics"}}},
		{name: "no webhook", in: store.AlertRule{WebhookURL: " \t"}, err: "empty webhook URL"},
	}
	for _, tt := range tests {
		got, err := store.NewAlertRule(tt.in, now)
		if errString(err) != tt.err {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.err)
			continue
		}
		if err == nil && (got.Topics == nil || strings.Join(got.Topics, ",") != strings.Join(tt.want.Topics, ",") ||
			!got.Created.Equal(tt.want.Created) || got.Place != tt.want.Place || got.WebhookURL != tt.want.WebhookURL) {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestDeliveryStamped(t *testing.T) {
	local := time.FixedZone("X", 3*3600)
	tests := []struct{ at, want time.Time }{
		{time.Time{}, now.Truncate(time.Millisecond)},
		{day.Add(1500 * time.Microsecond).In(local), day.Add(time.Millisecond)},
	}
	for _, tt := range tests {
		got := store.Delivery{ID: "d1", At: tt.at}.Stamped(now)
		if got.ID != "d1" || !got.At.Equal(tt.want) || got.At.Location() != time.UTC {
			t.Errorf("Stamped(%v) at %v, want %v UTC", tt.at, got.At, tt.want)
		}
		if !got.NextAt.Equal(got.At) || got.NextAt.Location() != time.UTC {
			t.Errorf("Stamped(%v) next at %v, want the attempt's time %v", tt.at, got.NextAt, got.At)
		}
	}
	next := store.Delivery{NextAt: day.Add(2500 * time.Microsecond).In(local)}.Stamped(now).NextAt
	if !next.Equal(day.Add(2*time.Millisecond)) || next.Location() != time.UTC {
		t.Errorf("Stamped next at %v, want %v UTC", next, day.Add(2*time.Millisecond))
	}
}

func TestDeliveryQueueStatus(t *testing.T) {
	for status, want := range map[string]string{
		store.DeliveryRetrying:  store.QueuePending,
		store.DeliveryDelivered: store.DeliveryDelivered,
		store.DeliveryFailed:    store.DeliveryFailed,
	} {
		if got := (store.Delivery{Status: status}).QueueStatus(); got != want {
			t.Errorf("QueueStatus of %s = %s, want %s", status, got, want)
		}
	}
}

func TestNewQueuedAlert(t *testing.T) {
	ok := store.QueuedAlert{ID: "d", RuleID: 1, StoryID: "s", Tier: "here", Payload: []byte("{}")}
	tests := []struct {
		name string
		in   store.QueuedAlert
		next time.Time
		err  bool
	}{
		{"due now", ok, now.Truncate(time.Millisecond), false},
		{"due later", func() store.QueuedAlert { a := ok; a.NextAt = day.Add(1500 * time.Microsecond); return a }(), day.Add(time.Millisecond), false},
		{"no payload", func() store.QueuedAlert { a := ok; a.Payload = nil; return a }(), now.Truncate(time.Millisecond), false},
		{"no ID", func() store.QueuedAlert { a := ok; a.ID = ""; return a }(), time.Time{}, true},
		{"no story", func() store.QueuedAlert { a := ok; a.StoryID = ""; return a }(), time.Time{}, true},
		{"no tier", func() store.QueuedAlert { a := ok; a.Tier = ""; return a }(), time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := store.NewQueuedAlert(tt.in, now)
		if (err != nil) != tt.err {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.err)
			continue
		}
		if err == nil && (!got.NextAt.Equal(tt.next) || got.NextAt.Location() != time.UTC || got.Payload == nil || got.ID != tt.in.ID) {
			t.Errorf("%s: %+v, want due at %v UTC with a payload", tt.name, got, tt.next)
		}
	}
}

func TestSortQueued(t *testing.T) {
	as := []store.QueuedAlert{{ID: "b", NextAt: day}, {ID: "c", NextAt: day.Add(-time.Second)}, {ID: "a", NextAt: day}}
	store.SortQueued(as)
	if as[0].ID != "c" || as[1].ID != "a" || as[2].ID != "b" {
		t.Errorf("sorted %+v, want c a b", as)
	}
}
