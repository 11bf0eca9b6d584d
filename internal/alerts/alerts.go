// Package alerts is the alerting step: watched places, rules, signed webhook
// delivery from a durable queue.
//
// A rule watches a place (as a reader would name it) and fires for a story
// whose lens for that place reaches the rule's minimum tier, carries one of
// the rule's topics (when it names any) and has enough independent sources.
// A rule fires once per story and tier: again only when the story moves to
// a closer tier. The store's ClaimAlert makes that decision atomically, so
// instances sharing a store never send an alert twice.
//
// The claim also puts the alert, its webhook body built, in the store's
// delivery queue, in the same transaction: from then on the alert outlives
// the process. Run takes due alerts from the queue with a lease
// (Store.LeaseAlerts), so that notifiers sharing a database never attempt
// one alert at once, and records each attempt in the rule's delivery log
// and the queue together: delivered, failed (given up after MaxAttempts)
// or due again after an exponential backoff. Alerts queued or waiting for a
// retry when a notifier stops stay in the queue, and the next Run of any
// notifier on the database delivers them; an attempt cut short by a crash
// is made again once its lease has run out.
//
// Each alert is delivered as a JSON POST to the rule's webhook, signed with
// HMAC-SHA256 of the body under the rule's secret
// (X-Vantage-Signature: sha256=<hex>). Every attempt at one alert carries
// the same delivery ID (X-Vantage-Delivery): delivery is at least once, and
// a receiver that drops repeated IDs sees each alert once even when a crash
// or a lost lease makes an attempt twice.
//
// Run also keeps the store's alert tables in bounds: when it starts and
// hourly after, it deletes finished alerts (delivered or given up) and
// logged attempts older than Notifier.Retention (Store.PruneAlerts). The
// claims stay, so a pruned alert is never sent again.
package alerts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
)

// Defaults for zero Notifier fields.
const (
	DefaultMaxAttempts   = 5
	DefaultBackoff       = time.Second
	DefaultMaxBackoff    = time.Minute
	DefaultWorkers       = 4
	DefaultShutdownGrace = 5 * time.Second
	DefaultRulesTTL      = 30 * time.Second
	DefaultLease         = time.Minute
	DefaultPollInterval  = 5 * time.Second
	DefaultRetention     = 30 * 24 * time.Hour
	// DefaultMinTier is the tier of a rule created without one.
	DefaultMinTier = lens.National
)

// Notifier turns story updates into webhook alerts. Set its fields, then
// start Run in a goroutine, feed it with Stories (the pipeline's OnStories
// hook) and mount its API with Routes. It is safe for concurrent use.
type Notifier struct {
	Store store.Store
	Lens  *lens.Engine // Lens.G resolves the rules' places
	// Client posts the webhooks. nil: a client that follows no redirects
	// and refuses loopback, private, link-local and other non-public
	// addresses (checked after DNS resolution) unless AllowPrivate is set.
	Client *http.Client
	// AllowPrivate lets webhooks reach non-public addresses (tests,
	// intranets). It also governs which webhook URLs the API accepts.
	AllowPrivate bool
	Logger       *slog.Logger // nil: no logs
	MaxAttempts  int          // attempts per alert (default 5)
	// Backoff is the wait before the first retry, doubled for each further
	// one up to MaxBackoff (defaults 1s and 1 min). A Retry-After header of
	// a 429 or 503 answer lengthens the wait, within MaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
	Workers    int // deliveries in flight at once (default 4)
	// ShutdownGrace is how long Run lets in-flight attempts finish once its
	// context is done (default 5s). An attempt cut short then is recorded
	// and due again at once for the next Run, unless it was the last
	// (MaxAttempts): that one is recorded as failed, as after a crash.
	ShutdownGrace time.Duration
	// Lease is how long an attempt holds its alert in the queue (default
	// 1 min): if this process dies mid-attempt, another notifier (or the
	// next Run) makes the attempt again once the lease has run out. Each
	// attempt is cut off after half of it, so that no other notifier takes
	// the alert while it is in flight.
	Lease time.Duration
	// PollInterval is how often Run looks in the queue for due alerts it
	// was not told of: ones another instance queued without delivering, or
	// whose holder died (default 5s). Alerts this notifier queues, and its
	// own retries, are taken at once when due.
	PollInterval time.Duration
	// RulesTTL is how long Stories trusts its cached rules before reading
	// them again (other instances may have changed them; default 30s).
	// Rules changed through Routes take effect at once.
	RulesTTL time.Duration
	// Retention is how long finished alerts (delivered or given up) stay
	// in the store's queue, and attempts in the delivery log, which the
	// API and the web pages read (default 30 days; negative: forever).
	// Run deletes older ones when it starts and hourly after; an alert
	// still pending keeps its attempts, and the claims stay, so a rule
	// never fires again for a story because its alert was deleted.
	Retention time.Duration
	// BaseURL, when set (e.g. "https://news.example.org"), gives each alert
	// a link to its story page: BaseURL + "/stories/" + id.
	BaseURL string
	Now     func() time.Time // nil: time.Now

	initOnce sync.Once
	wake     chan struct{} // an alert was queued or a worker is free
	owner    string        // this notifier's name on its leases

	mu       sync.Mutex
	busy     int         // alerts leased and not yet recorded
	due      []time.Time // when this notifier's own retries fall due
	watches  []*watch
	resolved map[int64]*watch // by rule ID, to resolve each place once
	loaded   time.Time
	stale    bool

	clientOnce sync.Once
	defClient  *http.Client

	quickOnce sync.Once
	quick     *lens.Engine
}

// watch is a rule with its place resolved.
type watch struct {
	rule    store.AlertRule
	reader  *lens.Reader
	minRank int
}

// job is one leased attempt at delivering an alert.
type job struct {
	id      string // delivery ID
	rule    store.AlertRule
	storyID string
	tier    string
	payload Payload
	attempt int // 1 for the first
}

// Payload is the JSON body of a webhook.
type Payload struct {
	DeliveryID   string       `json:"delivery_id"` // same for every attempt at one alert
	RuleID       int64        `json:"rule_id"`
	Place        string       `json:"place"` // as the rule names it
	PlaceID      int64        `json:"place_id,omitempty"`
	Story        StoryPayload `json:"story"`
	Lens         LensPayload  `json:"lens"`
	PreviousTier string       `json:"previous_tier,omitempty"` // the tier the rule last fired at for this story
	SentAt       time.Time    `json:"sent_at"`
}

// StoryPayload is the story part of a webhook.
type StoryPayload struct {
	ID        string    `json:"id"`
	Headline  string    `json:"headline"`
	Summary   string    `json:"summary,omitempty"`
	URL       string    `json:"url,omitempty"`        // the story page, when Notifier.BaseURL is set
	SourceURL string    `json:"source_url,omitempty"` // the first original article
	Sources   int       `json:"sources"`              // independent sources
	Articles  int       `json:"articles"`
	Topics    []string  `json:"topics,omitempty"`
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
}

// LensPayload is what the story means for the watched place.
type LensPayload struct {
	Tier     lens.Tier       `json:"tier"`
	Text     string          `json:"text"`
	Km       *float64        `json:"km,omitempty"`
	Evidence []lens.Evidence `json:"evidence"`
}

func (n *Notifier) init() {
	n.initOnce.Do(func() {
		n.wake = make(chan struct{}, 1)
		b := make([]byte, 8)
		rand.Read(b)
		host, _ := os.Hostname()
		n.owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
	})
}

func (n *Notifier) log() *slog.Logger {
	if n.Logger != nil {
		return n.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// tierRank is 0 for the closest tier, larger for farther ones, -1 for none.
func tierRank(t lens.Tier) int { return slices.Index(lens.Tiers, t) }

// Invalidate makes the next Stories read the rules again.
func (n *Notifier) Invalidate() {
	n.mu.Lock()
	n.stale = true
	n.mu.Unlock()
}

// rules returns the cached rules with their places, reading them again when
// they changed or the cache is older than RulesTTL.
func (n *Notifier) rules(ctx context.Context) ([]*watch, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.stale && !n.loaded.IsZero() && time.Since(n.loaded) < orDefault(n.RulesTTL, DefaultRulesTTL) {
		return n.watches, nil
	}
	rules, err := n.Store.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	ws := make([]*watch, 0, len(rules))
	resolved := make(map[int64]*watch, len(rules))
	for _, r := range rules {
		var w watch
		if old := n.resolved[r.ID]; old != nil && old.rule.Place == r.Place && old.rule.MinTier == r.MinTier {
			w = *old
		} else {
			nw, err := n.resolve(r)
			if err != nil {
				n.log().Warn("alert rule skipped", "rule", r.ID, "place", r.Place, "err", err)
				continue
			}
			w = *nw
		}
		w.rule = r
		ws = append(ws, &w)
		resolved[r.ID] = &w
	}
	n.watches, n.resolved, n.loaded, n.stale = ws, resolved, time.Now(), false
	return ws, nil
}

func (n *Notifier) resolve(r store.AlertRule) (*watch, error) {
	reader, err := lens.ResolvePlace(n.Lens.G, r.Place)
	if err != nil && r.PlaceID != 0 {
		// The gazetteer changed under the name; the ID it resolved to stays.
		reader, err = lens.ResolvePlace(n.Lens.G, strconv.FormatInt(r.PlaceID, 10))
	}
	if err != nil {
		return nil, err
	}
	tier, err := lens.ParseTier(r.MinTier)
	if err != nil {
		return nil, err
	}
	return &watch{reader: reader, minRank: tierRank(tier)}, nil
}

// Stories checks a batch of updated stories against every rule and queues
// an alert for each story that meets a rule for the first time, or at a
// closer tier than before. Run delivers them. It has the signature of the
// pipeline's OnStories hook. Errors are logged.
func (n *Notifier) Stories(ctx context.Context, sts []article.Story) {
	n.init()
	if len(sts) == 0 {
		return
	}
	ws, err := n.rules(ctx)
	if err != nil {
		n.log().Error("alerts: read rules", "err", err)
		return
	}
	quick := n.quickEngine()
	for _, w := range ws {
		for i := range sts {
			if ctx.Err() != nil {
				return
			}
			st := &sts[i]
			if st.ID == "" || st.IndependentSourceCount < w.rule.MinSources || !hasTopic(st, w.rule.Topics) {
				continue
			}
			l := quick.Lens(ctx, st, w.reader, w.rule.Topics)
			rank := tierRank(l.Tier)
			if rank < 0 || rank > w.minRank {
				continue
			}
			gone, err := n.claim(ctx, w, st, l, rank)
			if err != nil {
				n.log().Error("alerts: claim", "rule", w.rule.ID, "story", st.ID, "err", err)
			}
			if gone {
				break
			}
		}
	}
}

// claim fires w for st at l's tier unless it already fired at that tier or
// a closer one; gone reports that the rule no longer exists.
func (n *Notifier) claim(ctx context.Context, w *watch, st *article.Story, l lens.Lens, rank int) (gone bool, err error) {
	// A read first: most updates of a story leave its tier alone, and the
	// read spares the write the claim would take.
	prev, err := n.Store.ClaimedTier(ctx, w.rule.ID, st.ID)
	if err != nil {
		return false, err
	}
	if prev != "" {
		if pr := tierRank(lens.Tier(prev)); pr >= 0 && pr <= rank {
			return false, nil
		}
	}
	// The prose is polished before the claim, because the claim queues the
	// webhook body with it; the read above spares that for most updates.
	if n.Lens.Writer != nil {
		if pl := n.Lens.Lens(ctx, st, w.reader, w.rule.Topics); pl.Tier == l.Tier {
			l = pl
		}
	}
	p := n.payload(w.rule, st, l, prev)
	body, err := json.Marshal(p)
	if err != nil {
		return false, err
	}
	ok, err := n.Store.ClaimAlert(ctx, store.QueuedAlert{ID: p.DeliveryID, RuleID: w.rule.ID, StoryID: st.ID, Tier: string(l.Tier),
		Payload: body, NextAt: n.now()}, rank)
	if errors.Is(err, store.ErrNotFound) {
		n.Invalidate()
		return true, nil
	}
	if err != nil || !ok {
		return false, err
	}
	n.poke()
	n.log().Info("alert", "rule", w.rule.ID, "place", w.rule.Place, "story", st.ID, "tier", l.Tier, "previous", prev, "delivery", p.DeliveryID)
	return false, nil
}

// quickEngine is Lens without its optional prose writer: tiers come first,
// and only stories that fire need the polished text.
func (n *Notifier) quickEngine() *lens.Engine {
	if n.Lens.Writer == nil {
		return n.Lens
	}
	n.quickOnce.Do(func() {
		n.quick = &lens.Engine{G: n.Lens.G, Index: n.Lens.Index, Stories: n.Lens.Stories, Options: n.Lens.Options}
	})
	return n.quick
}

func hasTopic(st *article.Story, topics []string) bool {
	if len(topics) == 0 {
		return true
	}
	for _, t := range st.Topics {
		if slices.Contains(topics, t.Slug) {
			return true
		}
	}
	return false
}

// DeliveryID names one alert: the same rule, story and tier always give the
// same ID, which receivers may use to drop repeats.
func DeliveryID(ruleID int64, storyID string, tier lens.Tier) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00%s", ruleID, storyID, tier)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// payload is the webhook body of an alert, without its sending time.
func (n *Notifier) payload(r store.AlertRule, st *article.Story, l lens.Lens, prev string) Payload {
	id := DeliveryID(r.ID, st.ID, l.Tier)
	sp := StoryPayload{ID: st.ID, Headline: st.Headline, Summary: st.Summary, Sources: st.IndependentSourceCount,
		Articles: st.ArticleCount, FirstSeen: st.FirstSeen, LastSeen: st.LastSeen}
	if n.BaseURL != "" {
		sp.URL = strings.TrimRight(n.BaseURL, "/") + "/stories/" + st.ID
	}
	for _, s := range st.Sources {
		if s.DuplicateOf == "" && s.URL != "" {
			sp.SourceURL = s.URL
			break
		}
	}
	for _, t := range st.Topics {
		sp.Topics = append(sp.Topics, t.Slug)
	}
	ev := l.Evidence
	if ev == nil {
		ev = []lens.Evidence{}
	}
	return Payload{
		DeliveryID: id, RuleID: r.ID, Place: r.Place, PlaceID: r.PlaceID, Story: sp,
		Lens:         LensPayload{Tier: l.Tier, Text: l.Text, Km: l.Km, Evidence: ev},
		PreviousTier: prev,
	}
}

// poke wakes Run: an alert was queued or a worker came free.
func (n *Notifier) poke() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Pending is the number of alerts this notifier has taken from the queue
// and not yet finished an attempt at. Alerts waiting in the store are not
// counted.
func (n *Notifier) Pending() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.busy
}

// drain discards the rest of a response so the connection can be reused.
func drain(r io.Reader) { io.Copy(io.Discard, io.LimitReader(r, 64<<10)) }
