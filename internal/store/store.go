// Package store defines how Vantage keeps articles, feeds and stories: the Store
// interface every backend (embedded SQLite, PostgreSQL) satisfies, and its types.
// What the backends share beyond that, whatever their SQL, is here too: the
// search query parser (ParseQuery, RenderQuery), page cursors and pagers
// (ArticlePager, StoryPager) and the records they store (StoryRecords,
// NewArticleRecord, NewAlertRule, NewQueuedAlert). SQL dialects live in the
// backend subpackages, never here.
//
// Alerts are queued durably: ClaimAlert puts a claimed alert in the
// store's delivery queue in the same transaction, LeaseAlerts hands due
// alerts to one notifier at a time under a lease, and RecordDelivery logs
// each attempt and moves the queue on, so an alert outlives the process that
// claimed it until it is delivered or given up. PruneAlerts deletes finished
// alerts and logged attempts past a retention; claims are kept.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/feeds"
)

// Errors a backend returns; callers test them with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrCursor   = errors.New("invalid cursor")
)

// Store is the persistence boundary of the pipeline.
type Store interface {
	// PutArticles stores a batch in one transaction. Articles must be normalised
	// (ID, CanonicalURL, ContentHash set). An article whose canonical URL or content
	// hash is already stored, in the database or earlier in the batch, is not stored
	// again: its outcome is Duplicate with DuplicateOf naming the stored one. The
	// outcomes are in the order of arts.
	PutArticles(ctx context.Context, arts []article.Article) ([]PutOutcome, error)
	// Article returns one article by ID, or ErrNotFound.
	Article(ctx context.Context, id string) (*article.Article, error)
	// Articles lists articles, newest first, or by full-text relevance when q is
	// set; Next is the cursor of the following page ("" at the end).
	Articles(ctx context.Context, q ArticleQuery) (ArticlePage, error)
	// KnownURLs reports which of the given canonical URLs are already stored.
	KnownURLs(ctx context.Context, canonicalURLs []string) (map[string]bool, error)
	// Stats counts what is stored.
	Stats(ctx context.Context) (Stats, error)

	// AddFeed subscribes to a feed URL; ErrExists when it is already there.
	AddFeed(ctx context.Context, sub feeds.Subscription) (Feed, error)
	// Feeds lists every subscription, oldest first.
	Feeds(ctx context.Context) ([]Feed, error)
	// RemoveFeed unsubscribes by ID or URL; ErrNotFound when absent.
	RemoveFeed(ctx context.Context, idOrURL string) error
	// DueFeeds returns the feeds whose next fetch time has come.
	DueFeeds(ctx context.Context, now time.Time) ([]feeds.FeedState, error)
	// UpdateFeedState records the result of fetching one feed.
	UpdateFeedState(ctx context.Context, st feeds.FeedState) error

	// PutStories saves, in one transaction, rebuilt story records, the
	// article-to-story assignments that changed them, and merges: a story ID
	// in Redirects is deleted, its articles move to the target, and Story
	// resolves it to the target from then on.
	PutStories(ctx context.Context, u StoryUpdate) error
	// Story returns one story by ID, following merge redirects, or ErrNotFound.
	Story(ctx context.Context, id string) (*article.Story, error)
	// Stories lists stories, most recent LastSeen first.
	Stories(ctx context.Context, q StoryQuery) (StoryPage, error)
	// SplitLinks returns, for each story last seen at or after since that
	// was split from another (its record's SplitFrom), that other story's
	// ID: what a restarted clusterer needs to keep the two apart.
	SplitLinks(ctx context.Context, since time.Time) (map[string]string, error)
	// Replay calls fn for every stored article whose sort time (published,
	// else fetched) is at or after since, in arrival order, with its story
	// assignment in Analysis.StoryID and Analysis.DupOf. It warms the
	// clusterer after a restart.
	Replay(ctx context.Context, since time.Time, fn func(*article.Article) error) error

	Close() error

	// AddAlertRule saves a watched place's rule and returns it with its ID
	// and creation time set.
	AddAlertRule(ctx context.Context, r AlertRule) (AlertRule, error)
	// AlertRules lists every rule, oldest first, secrets included.
	AlertRules(ctx context.Context) ([]AlertRule, error)
	// RemoveAlertRule deletes a rule with its claims and delivery log;
	// ErrNotFound when absent.
	RemoveAlertRule(ctx context.Context, id int64) error
	// ClaimAlert atomically records that the rule a.RuleID fires for the
	// story a.StoryID at the tier a.Tier (tierRank: 0 for the closest tier,
	// larger for farther ones) and, in the same transaction, puts a in the
	// delivery queue, due at a.NextAt (now when zero). It returns false, and
	// queues nothing, when the rule already fired for the story at this tier
	// or a closer one, so instances sharing a store never send an alert
	// twice; ErrNotFound when the rule is absent. a.Attempts is ignored.
	ClaimAlert(ctx context.Context, a QueuedAlert, tierRank int) (claimed bool, err error)
	// ClaimedTier is the tier of a rule's latest claim for a story, "" when
	// it never fired for it.
	ClaimedTier(ctx context.Context, ruleID int64, storyID string) (string, error)
	// LeaseAlerts hands out up to limit queued alerts that are due (neither
	// delivered nor given up, next attempt at or before now) and not leased,
	// or whose lease ended at or before now; most overdue first. Each is
	// leased to owner until until and its Attempts counts one more attempt,
	// the one the lease is for. Concurrent callers, in this process or
	// another one sharing the database, never get the same alert while its
	// lease runs. An alert whose holder died is handed out again once its
	// lease has ended.
	LeaseAlerts(ctx context.Context, owner string, now, until time.Time, limit int) ([]QueuedAlert, error)
	// RecordDelivery appends one delivery attempt to a rule's log;
	// ErrNotFound when the rule is absent. When d.Lease names the holder of
	// the alert's lease, the same transaction moves its queue entry on and
	// ends the lease: a delivered or failed attempt ends the alert, a
	// retrying one makes it due again at d.NextAt (now when zero). An
	// attempt whose lease was lost meanwhile is logged but leaves the queue
	// to the new holder.
	RecordDelivery(ctx context.Context, d Delivery) error
	// Deliveries returns a rule's latest delivery attempts, newest first
	// (limit as ClampLimit); ErrNotFound when the rule is absent.
	Deliveries(ctx context.Context, ruleID int64, limit int) ([]Delivery, error)
	// PruneAlerts deletes the queue entries of alerts that finished
	// (delivered or given up) before before, and the delivery attempts
	// logged before before, and returns how many rows it deleted. A pending
	// alert, leased or not, stays with all of its logged attempts, and so do
	// the claims: they keep a rule from firing again for a story.
	PruneAlerts(ctx context.Context, before time.Time) (int64, error)
}

// Status is what happened to one article given to PutArticles.
type Status string

// Outcomes of PutArticles.
const (
	New       Status = "new"
	Duplicate Status = "duplicate"
)

// PutOutcome reports one article of a batch.
type PutOutcome struct {
	ID          string `json:"id"`
	Status      Status `json:"status"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// ArticleQuery selects articles.
type ArticleQuery struct {
	Q      string    // full-text query (words; quoted phrases allowed); "" lists all
	Since  time.Time // only articles published (or fetched, when undated) at or after
	Limit  int       // 1..500, default 20
	Cursor string    // from a previous page's Next
}

// ArticlePage is one page of results.
type ArticlePage struct {
	Articles []article.Article `json:"articles"`
	Next     string            `json:"next,omitempty"`
}

// Stats are counts of stored things.
type Stats struct {
	Articles int64 `json:"articles"`
	Stories  int64 `json:"stories"`
	Feeds    int64 `json:"feeds"`
	Sources  int64 `json:"sources"`
}

// StoryUpdate is what one batch of clustering changed.
type StoryUpdate struct {
	Stories     []article.Story
	Assignments []Assignment
	Redirects   map[string]string // merged story ID → surviving story ID
}

// Assignment puts an article in a story.
type Assignment struct {
	ArticleID   string
	StoryID     string
	DuplicateOf string // the original article when this one is a near-duplicate
}

// StoryQuery selects stories. Filters combine with AND; the values inside
// one filter with OR.
type StoryQuery struct {
	Since     time.Time // LastSeen at or after
	Countries []string  // ISO2: a focus country of the story
	Places    []int64   // GeoNames IDs: a focus place of the story
	Topics    []string  // topic slugs the story carries
	Limit     int       // 1..500, default 20
	Cursor    string
}

// StoryPage is one page of stories.
type StoryPage struct {
	Stories []article.Story `json:"stories"`
	Next    string          `json:"next,omitempty"`
}

// Feed is a subscription with its polling state.
type Feed struct {
	feeds.FeedState
	SiteURL  string    `json:"site_url,omitempty"`
	Category string    `json:"category,omitempty"`
	Added    time.Time `json:"added"`
}

// ClampLimit applies the default and bounds of ArticleQuery.Limit.
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return 20
	case n > 500:
		return 500
	}
	return n
}

// AlertRule is a watched place and when a story about it is worth a webhook.
type AlertRule struct {
	ID         int64     `json:"id"`
	Place      string    `json:"place"`    // as the user wrote it
	PlaceID    int64     `json:"place_id"` // GeoNames ID it resolved to (0 for a bare coordinate)
	MinTier    string    `json:"min_tier"` // the farthest tier that fires (lens tier name)
	Topics     []string  `json:"topics,omitempty"`
	MinSources int       `json:"min_sources"` // independent sources a story needs
	WebhookURL string    `json:"webhook_url"`
	Secret     string    `json:"-"` // HMAC key of the signature header
	Created    time.Time `json:"created"`
}

// Delivery statuses.
const (
	DeliveryDelivered = "delivered" // the receiver answered 2xx
	DeliveryRetrying  = "retrying"  // this attempt failed; another follows
	DeliveryFailed    = "failed"    // the last attempt failed; no more follow
	// QueuePending is the status of a queued alert still to be delivered;
	// the queue's other statuses are DeliveryDelivered and DeliveryFailed.
	QueuePending = "pending"
)

// Delivery is one attempt at delivering an alert.
type Delivery struct {
	// ID names the alert (one rule, story and tier); every attempt at
	// delivering it carries the same ID.
	ID         string    `json:"id"`
	RuleID     int64     `json:"rule_id"`
	StoryID    string    `json:"story_id"`
	Tier       string    `json:"tier"`
	Attempt    int       `json:"attempt"` // 1 for the first
	Status     string    `json:"status"`
	HTTPStatus int       `json:"http_status,omitempty"` // 0 when no response came
	Error      string    `json:"error,omitempty"`
	At         time.Time `json:"at"` // millisecond precision

	// Lease and NextAt move the alert's queue entry on (see
	// Store.RecordDelivery); the log does not keep them.
	Lease  string    `json:"-"` // the lease owner that made the attempt
	NextAt time.Time `json:"-"` // Status retrying: when the next attempt is due
}

// QueuedAlert is an alert in the store's delivery queue, pending from its
// claim until it is delivered or given up, so that it outlives the process
// that claimed it. The entry then stays in the queue with that final status,
// until Store.PruneAlerts deletes it; LeaseAlerts never hands it out again.
type QueuedAlert struct {
	ID      string // the delivery ID: one rule, story and tier
	RuleID  int64
	StoryID string
	Tier    string
	// Payload is the webhook body, JSON, without its sending time (each
	// attempt stamps its own).
	Payload  []byte
	Attempts int       // attempts started, the leased one included
	NextAt   time.Time // due from then on; millisecond precision
}
