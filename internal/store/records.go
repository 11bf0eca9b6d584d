package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
)

// CheckNormalised reports the first article of a batch that PutArticles
// may not store: one without an ID or content hash.
func CheckNormalised(arts []article.Article) error {
	for i := range arts {
		if arts[i].ID == "" || arts[i].ContentHash == "" {
			return fmt.Errorf("article %d is not normalised (no ID or content hash)", i)
		}
	}
	return nil
}

// ArticleRecord is what a backend stores of an article beside its fields.
type ArticleRecord struct {
	SortTime time.Time // Published, else Fetched: what listings order by
	Analysis []byte    // JSON of Analysis; nil when there is none
	StoryID  string    // Analysis.StoryID
}

// NewArticleRecord sets a.Fetched to now when it is zero and encodes what a
// backend stores of a beside its fields.
func NewArticleRecord(a *article.Article, now time.Time) (ArticleRecord, error) {
	if a.Fetched.IsZero() {
		a.Fetched = now
	}
	r := ArticleRecord{SortTime: a.Published}
	if r.SortTime.IsZero() {
		r.SortTime = a.Fetched
	}
	if a.Analysis != nil {
		b, err := json.Marshal(a.Analysis)
		if err != nil {
			return r, fmt.Errorf("encode analysis of %s: %w", a.ID, err)
		}
		r.Analysis, r.StoryID = b, a.Analysis.StoryID
	}
	return r, nil
}

// SetAnalysis gives a what a backend stored beside its fields: the JSON of
// its analysis (none when empty) and its story assignment (storyID, dupOf:
// nil when NULL). An article with an assignment has an Analysis.
func SetAnalysis(a *article.Article, analysis []byte, storyID, dupOf *string) error {
	if len(analysis) > 0 {
		a.Analysis = new(article.Analysis)
		if err := json.Unmarshal(analysis, a.Analysis); err != nil {
			return fmt.Errorf("decode analysis of %s: %w", a.ID, err)
		}
	}
	if storyID == nil && dupOf == nil {
		return nil
	}
	if a.Analysis == nil {
		a.Analysis = new(article.Analysis)
	}
	a.Analysis.StoryID, a.Analysis.DupOf = "", ""
	if storyID != nil {
		a.Analysis.StoryID = *storyID
	}
	if dupOf != nil {
		a.Analysis.DupOf = *dupOf
	}
	return nil
}

// StoryRecord is what a backend stores of a story.
type StoryRecord struct {
	*article.Story
	Data     []byte    // JSON of the story
	LastSeen time.Time // LastSeen, else Updated, else the time of saving: what listings order by
}

// StoryRecords checks and encodes the stories of an update, in order; now
// stands in for a story that was never seen or updated.
func StoryRecords(stories []article.Story, now time.Time) ([]StoryRecord, error) {
	recs := make([]StoryRecord, len(stories))
	for i := range stories {
		s := &stories[i]
		if s.ID == "" {
			return nil, fmt.Errorf("story %d has no ID", i)
		}
		b, err := json.Marshal(s)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", s.ID, err)
		}
		recs[i] = StoryRecord{Story: s, Data: b, LastSeen: s.LastSeen}
		if recs[i].LastSeen.IsZero() {
			recs[i].LastSeen = s.Updated
		}
		if recs[i].LastSeen.IsZero() {
			recs[i].LastSeen = now
		}
	}
	return recs, nil
}

// DecodeStory reads a story record's JSON. Errors begin "story ID:".
func DecodeStory(id string, data []byte) (*article.Story, error) {
	var s article.Story
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("story %s: decode: %w", id, err)
	}
	return &s, nil
}

// NewAlertRule checks a rule before a backend stores it and fills in what a
// stored rule always has: a creation time (now when zero) and a non-nil
// Topics list.
func NewAlertRule(r AlertRule, now time.Time) (AlertRule, error) {
	if strings.TrimSpace(r.WebhookURL) == "" {
		return AlertRule{}, errors.New("empty webhook URL")
	}
	if r.Created.IsZero() {
		r.Created = now
	}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	return r, nil
}

// Stamped is d as a backend stores it: At is now when zero, NextAt is At
// when zero, both in UTC at millisecond precision.
func (d Delivery) Stamped(now time.Time) Delivery {
	if d.At.IsZero() {
		d.At = now
	}
	d.At = d.At.Truncate(time.Millisecond).UTC()
	if d.NextAt.IsZero() {
		d.NextAt = d.At
	}
	d.NextAt = d.NextAt.Truncate(time.Millisecond).UTC()
	return d
}

// NewQueuedAlert checks an alert before a backend claims and queues it and
// fills in what a queued alert always has: a due time (now when zero) in UTC
// at millisecond precision, and a non-nil Payload.
func NewQueuedAlert(a QueuedAlert, now time.Time) (QueuedAlert, error) {
	if a.ID == "" || a.StoryID == "" || a.Tier == "" {
		return QueuedAlert{}, errors.New("queued alert without a delivery ID, story or tier")
	}
	if a.NextAt.IsZero() {
		a.NextAt = now
	}
	a.NextAt = a.NextAt.Truncate(time.Millisecond).UTC()
	if a.Payload == nil {
		a.Payload = []byte{}
	}
	return a, nil
}

// QueueStatus is the status of an alert's queue entry after an attempt
// recorded as d: pending again for a retry, else d's final status.
func (d Delivery) QueueStatus() string {
	if d.Status == DeliveryRetrying {
		return QueuePending
	}
	return d.Status
}

// SortQueued puts alerts in the order they fell due (NextAt, then ID), the
// order LeaseAlerts returns them in.
func SortQueued(as []QueuedAlert) {
	slices.SortFunc(as, func(a, b QueuedAlert) int {
		if c := a.NextAt.Compare(b.NextAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
