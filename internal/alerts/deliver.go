package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/vantage-news/vantage/internal/store"
)

// Headers of a webhook request.
const (
	SignatureHeader = "X-Vantage-Signature" // sha256=<hex HMAC-SHA256 of the body under the rule's secret>
	DeliveryHeader  = "X-Vantage-Delivery"  // the alert's delivery ID
	AttemptHeader   = "X-Vantage-Attempt"   // 1 for the first attempt
)

// ErrPrivateAddress: a webhook host resolved to a non-public address and
// Notifier.AllowPrivate is false.
var ErrPrivateAddress = errors.New("refusing to send a webhook to a non-public address")

// Sign returns the signature header value of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig (a signature header value) signs body under
// secret; receivers written in Go may use it.
func Verify(secret string, body []byte, sig string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(sig))
}

// Run delivers queued alerts until ctx is done: those already in the store
// when it starts (queued by an earlier run, by another instance, or left
// mid-attempt by a process that died), those Stories queues, and their
// retries, each when due. Once ctx is done it gives the attempts in flight
// ShutdownGrace to finish; alerts not delivered by then stay queued for the
// next Run. While it runs it deletes finished alerts and logged attempts
// older than Retention, once at the start and hourly after. Run returns
// nil once stopped.
func (n *Notifier) Run(ctx context.Context) error {
	n.init()
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		n.pruneLoop(ctx)
	}()
	defer func() { <-pruned }()
	workers := orDefault(n.Workers, DefaultWorkers)
	poll := orDefault(n.PollInterval, DefaultPollInterval)
	// Leases and in-flight attempts outlive ctx by the grace period.
	hard, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
	timer := time.NewTimer(0)
	defer timer.Stop()
	for ctx.Err() == nil {
		checked := n.now()
		if free := workers - n.Pending(); free > 0 {
			jobs, err := n.lease(hard, checked, free)
			if err != nil {
				n.log().Error("alerts: take queued alerts", "err", err)
			}
			for _, j := range jobs {
				n.setBusy(1)
				wg.Add(1)
				go func() {
					defer wg.Done()
					n.deliver(hard, j)
					n.setBusy(-1)
					n.poke()
				}()
			}
		}
		// A retry due by checked was leased, or waits for a worker, which
		// pokes when it comes free.
		timer.Reset(n.untilDue(checked, poll))
		select {
		case <-ctx.Done():
		case <-n.wake:
		case <-timer.C:
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	grace := time.NewTimer(orDefault(n.ShutdownGrace, DefaultShutdownGrace))
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		n.log().Warn("alerts: deliveries cut short by shutdown; they stay queued")
		cancel()
		<-done
	}
	n.mu.Lock()
	n.due = nil
	n.mu.Unlock()
	return nil
}

// pruneInterval is how often Run deletes finished alerts.
const pruneInterval = time.Hour

// pruneLoop deletes finished alerts and logged attempts older than
// Retention, now and every pruneInterval until ctx is done.
func (n *Notifier) pruneLoop(ctx context.Context) {
	keep := n.Retention
	switch {
	case keep < 0:
		return
	case keep == 0:
		keep = DefaultRetention
	}
	tick := time.NewTicker(pruneInterval)
	defer tick.Stop()
	for {
		n.prune(ctx, keep)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// prune deletes the finished alerts and logged attempts older than keep.
func (n *Notifier) prune(ctx context.Context, keep time.Duration) {
	before := n.now().Add(-keep)
	removed, err := n.Store.PruneAlerts(ctx, before)
	switch {
	case err != nil && ctx.Err() == nil:
		n.log().Error("alerts: prune finished alerts", "err", err)
	case err != nil: // stopped mid-prune; the next Run prunes again
	case removed > 0:
		n.log().Info("alerts: pruned finished alerts and delivery log", "rows", removed, "before", before)
	default:
		n.log().Debug("alerts: nothing to prune", "before", before)
	}
}

func (n *Notifier) setBusy(delta int) {
	n.mu.Lock()
	n.busy += delta
	n.mu.Unlock()
}

// untilDue is how long Run may sleep: until the next of its own retries
// falls due, at most poll. Retries due by checked are forgotten: Run has
// just tried to lease them.
func (n *Notifier) untilDue(checked time.Time, poll time.Duration) time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.now()
	wait := poll
	keep := n.due[:0]
	for _, t := range n.due {
		if t.After(checked) {
			keep = append(keep, t)
			wait = min(wait, max(t.Sub(now), 0))
		}
	}
	n.due = keep
	return wait
}

func (n *Notifier) leaseFor() time.Duration { return orDefault(n.Lease, DefaultLease) }

// lease takes up to limit due alerts from the queue, with their rules.
func (n *Notifier) lease(ctx context.Context, now time.Time, limit int) ([]job, error) {
	qs, err := n.Store.LeaseAlerts(ctx, n.owner, now, now.Add(n.leaseFor()), limit)
	if err != nil || len(qs) == 0 {
		return nil, err
	}
	// Rules cannot be edited, only removed (which empties their queue), but
	// the cache of Stories may skip a rule whose place no longer resolves:
	// read them afresh.
	rules, err := n.Store.AlertRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("%d alerts leased, rules unread (they are taken again when the lease ends): %w", len(qs), err)
	}
	byID := make(map[int64]store.AlertRule, len(rules))
	for _, r := range rules {
		byID[r.ID] = r
	}
	jobs := make([]job, 0, len(qs))
	for _, q := range qs {
		r, ok := byID[q.RuleID]
		if !ok {
			continue // removed since the lease, with its queue
		}
		j := job{id: q.ID, rule: r, storyID: q.StoryID, tier: q.Tier, attempt: q.Attempts}
		if err := json.Unmarshal(q.Payload, &j.payload); err != nil {
			n.log().Error("alerts: unreadable queued alert given up", "rule", r.ID, "delivery", q.ID, "err", err)
			n.record(ctx, j, store.Delivery{Attempt: q.Attempts, Status: store.DeliveryFailed, Error: "queued webhook body unreadable: " + err.Error()})
			continue
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// record writes an attempt to the delivery log and moves the alert's queue
// entry on, under this notifier's lease.
func (n *Notifier) record(ctx context.Context, j job, d store.Delivery) error {
	d.ID, d.RuleID, d.StoryID, d.Tier, d.At, d.Lease = j.id, j.rule.ID, j.storyID, j.tier, n.now(), n.owner
	// The log is written even when the attempt was cut short.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := n.Store.RecordDelivery(ctx, d)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		n.log().Error("alerts: record delivery (the alert is attempted again when its lease ends)", "rule", j.rule.ID, "delivery", j.id, "err", err)
	}
	return err
}

// backoff is the wait after a failed attempt: Backoff doubled for each
// attempt before it, at least what a Retry-After asked for, at most
// MaxBackoff.
func (n *Notifier) backoff(attempt int, retryAfter time.Duration) time.Duration {
	wait := orDefault(n.Backoff, DefaultBackoff)
	maxWait := orDefault(n.MaxBackoff, DefaultMaxBackoff)
	for i := 1; i < attempt && wait < maxWait; i++ {
		wait *= 2
	}
	return min(max(wait, retryAfter), maxWait)
}

// deliver makes one leased attempt and records it: delivered, failed when
// it was the last one, else due again after the backoff. hard ends an
// attempt in flight at shutdown; the alert is then due again at once.
func (n *Notifier) deliver(hard context.Context, j job) {
	maxAttempts := orDefault(n.MaxAttempts, DefaultMaxAttempts)
	lg := n.log().With("rule", j.rule.ID, "story", j.storyID, "delivery", j.id, "attempt", j.attempt)
	if j.attempt > maxAttempts {
		// The last attempt was leased by a process that stopped before
		// recording it.
		d := store.Delivery{Attempt: j.attempt - 1, Status: store.DeliveryFailed,
			Error: "the last attempt was cut short (the process stopped) and none are left"}
		if n.record(hard, j, d) == nil {
			lg.Warn("alerts: delivery failed", "err", d.Error)
		}
		return
	}
	actx, cancel := context.WithTimeout(hard, n.leaseFor()/2)
	status, retryAfter, err := n.attempt(actx, j, j.attempt)
	cancel()
	d := store.Delivery{Attempt: j.attempt, HTTPStatus: status}
	switch {
	case err == nil:
		d.Status = store.DeliveryDelivered
	case j.attempt >= maxAttempts:
		d.Status, d.Error = store.DeliveryFailed, err.Error()
	default:
		d.Status, d.Error = store.DeliveryRetrying, err.Error()
		d.NextAt = n.now().Add(n.backoff(j.attempt, retryAfter))
		if hard.Err() != nil {
			d.Error += " (cut short by shutdown)"
			d.NextAt = n.now()
		}
	}
	rerr := n.record(hard, j, d)
	lg = lg.With("status", d.Status)
	switch {
	case errors.Is(rerr, store.ErrNotFound):
		lg.Info("alerts: rule removed; delivery dropped")
	case d.Status == store.DeliveryDelivered:
		lg.Info("alerts: delivered", "http_status", status)
	case d.Status == store.DeliveryFailed:
		lg.Warn("alerts: delivery failed", "http_status", status, "err", err)
	default:
		lg.Info("alerts: delivery will be retried", "http_status", status, "err", err, "at", d.NextAt)
		if rerr == nil {
			n.mu.Lock()
			n.due = append(n.due, d.NextAt)
			n.mu.Unlock()
		}
	}
}

// attempt posts the alert once. err is nil for a 2xx answer; retryAfter is
// what a 429 or 503 answer asked for.
func (n *Notifier) attempt(ctx context.Context, j job, attempt int) (status int, retryAfter time.Duration, err error) {
	p := j.payload
	p.SentAt = n.now().UTC()
	body, err := json.Marshal(p)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.rule.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Vantage-Alerts/1.0")
	req.Header.Set(SignatureHeader, Sign(j.rule.Secret, body))
	req.Header.Set(DeliveryHeader, j.id)
	req.Header.Set(AttemptHeader, strconv.Itoa(attempt))
	resp, err := n.client().Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	drain(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, 0, nil
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			retryAfter = time.Duration(s) * time.Second
		}
	}
	return resp.StatusCode, retryAfter, fmt.Errorf("HTTP %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}

func (n *Notifier) client() *http.Client {
	if n.Client != nil {
		return n.Client
	}
	n.clientOnce.Do(func() { n.defClient = newClient(n.AllowPrivate) })
	return n.defClient
}

// newClient is the default webhook client: bounded times, no proxy (it
// would bypass the address check), no redirects followed, and unless
// allowPrivate only public addresses, checked at dial time after DNS.
func newClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   2,
		},
		Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a 3xx answer is a failed delivery
		},
	}
}

// nonPublic are address ranges beyond netip's own classes that a webhook
// may not reach: shared, reserved and benchmarking space, and the IPv6
// forms that carry an arbitrary IPv4 address.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),          // IPv4-compatible
	netip.MustParsePrefix("64:ff9b::/96"),   // NAT64
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2001::/32"),      // Teredo
	netip.MustParsePrefix("2002::/16"),      // 6to4
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("fec0::/10"),      // site-local
}

// publicAddr reports whether a webhook may be sent to addr.
func publicAddr(addr netip.Addr) bool {
	addr = addr.WithZone("").Unmap()
	if !addr.IsGlobalUnicast() || addr.IsPrivate() {
		return false // loopback, link-local, multicast, unspecified, RFC 1918, ULA
	}
	for _, p := range nonPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// refusePrivate is a net.Dialer Control hook: it runs for every connection
// after DNS resolution.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrPrivateAddress, address)
	}
	if !publicAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}
