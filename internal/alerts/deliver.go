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

// Run delivers queued alerts until ctx is done, then gives the attempts in
// flight ShutdownGrace to finish. Alerts still queued or waiting for a retry
// at that point are recorded as failed. Run returns nil once stopped.
func (n *Notifier) Run(ctx context.Context) error {
	n.init()
	sem := make(chan struct{}, orDefault(n.Workers, DefaultWorkers))
	// In-flight attempts outlive ctx by the grace period.
	hard, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	var wg sync.WaitGroup
loop:
	for {
		j, ok := n.next(ctx)
		if !ok {
			break
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			n.abandon(hard, j, 0)
			break loop
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			n.deliver(ctx, hard, j)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	timer := time.NewTimer(orDefault(n.ShutdownGrace, DefaultShutdownGrace))
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		n.log().Warn("alerts: deliveries cut short by shutdown")
		cancel()
		<-done
	}
	n.mu.Lock()
	left := n.queue
	n.queue = nil
	n.mu.Unlock()
	if len(left) > 0 {
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer rcancel()
		for _, j := range left {
			n.abandon(rctx, j, 0)
		}
	}
	return nil
}

// next waits for a queued alert; false once ctx is done.
func (n *Notifier) next(ctx context.Context) (job, bool) {
	for {
		n.mu.Lock()
		if len(n.queue) > 0 && ctx.Err() == nil {
			j := n.queue[0]
			n.queue[0] = job{}
			n.queue = n.queue[1:]
			n.mu.Unlock()
			return j, true
		}
		n.mu.Unlock()
		select {
		case <-ctx.Done():
			return job{}, false
		case <-n.wake:
		}
	}
}

// abandon records that an alert was given up at shutdown after attempts.
func (n *Notifier) abandon(ctx context.Context, j job, attempts int) {
	n.log().Warn("alerts: delivery abandoned at shutdown", "rule", j.rule.ID, "story", j.payload.Story.ID, "delivery", j.id, "attempts", attempts)
	n.record(ctx, j, store.Delivery{Attempt: attempts, Status: store.DeliveryFailed, Error: "shutting down: not sent again"})
}

func (n *Notifier) record(ctx context.Context, j job, d store.Delivery) error {
	d.ID, d.RuleID, d.StoryID, d.Tier, d.At = j.id, j.rule.ID, j.payload.Story.ID, string(j.payload.Lens.Tier), n.now()
	// The log is written even when the attempt was cut short.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := n.Store.RecordDelivery(ctx, d)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		n.log().Error("alerts: record delivery", "rule", j.rule.ID, "delivery", j.id, "err", err)
	}
	return err
}

// deliver makes up to MaxAttempts attempts, recording each. stop ends the
// waits between attempts; hard ends an attempt in flight.
func (n *Notifier) deliver(stop, hard context.Context, j job) {
	maxAttempts := orDefault(n.MaxAttempts, DefaultMaxAttempts)
	wait := orDefault(n.Backoff, DefaultBackoff)
	maxWait := orDefault(n.MaxBackoff, DefaultMaxBackoff)
	for attempt := 1; ; attempt++ {
		status, retryAfter, err := n.attempt(hard, j, attempt)
		d := store.Delivery{Attempt: attempt, HTTPStatus: status}
		switch {
		case err == nil:
			d.Status = store.DeliveryDelivered
		case attempt >= maxAttempts:
			d.Status, d.Error = store.DeliveryFailed, err.Error()
		default:
			d.Status, d.Error = store.DeliveryRetrying, err.Error()
		}
		if rerr := n.record(hard, j, d); errors.Is(rerr, store.ErrNotFound) {
			n.log().Info("alerts: rule removed; delivery dropped", "rule", j.rule.ID, "delivery", j.id)
			return
		}
		lg := n.log().With("rule", j.rule.ID, "story", j.payload.Story.ID, "delivery", j.id, "attempt", attempt, "status", d.Status)
		if d.Status != store.DeliveryRetrying {
			if d.Status == store.DeliveryDelivered {
				lg.Info("alerts: delivered", "http_status", status)
			} else {
				lg.Warn("alerts: delivery failed", "http_status", status, "err", err)
			}
			return
		}
		pause := min(max(wait, retryAfter), maxWait)
		lg.Info("alerts: delivery will be retried", "http_status", status, "err", err, "in", pause)
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-stop.Done():
			t.Stop()
			n.abandon(hard, j, attempt)
			return
		}
		wait = min(wait*2, maxWait)
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
