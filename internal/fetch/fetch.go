// Package fetch owns outbound HTTP for user-given URLs: an SSRF-guarded, size-capped,
// rate-limited client with conditional GET and Retry-After handling.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Errors returned (wrapped with the URL) by Client.Get. Test with errors.Is.
var (
	// ErrPrivateAddress: the host resolved to a loopback, private, link-local or
	// otherwise non-public address and Options.AllowPrivate is false.
	ErrPrivateAddress = errors.New("refusing to connect to a non-public address")
	// ErrTooLarge: the response body is larger than Options.MaxBytes.
	ErrTooLarge = errors.New("response body exceeds size limit")
	// ErrScheme: the URL (or a redirect target) is not http or https.
	ErrScheme = errors.New("only http and https URLs are allowed")
	// ErrTooManyRedirects: more than MaxRedirects redirects were followed.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// MaxRedirects is how many redirects Get follows before giving up.
const MaxRedirects = 5

// Defaults applied by New for zero Options fields.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxBytes      = 10 << 20
	DefaultUserAgent     = "Vantage/1.0 (+https://github.com/vantage-news/vantage)"
	DefaultMaxConcurrent = 8
)

// Options configures a Client. Zero fields take the defaults above.
type Options struct {
	Timeout         time.Duration // whole request including body; the header wait is bounded too
	MaxBytes        int64         // body cap; larger bodies fail with ErrTooLarge
	AllowPrivate    bool          // allow loopback/private/link-local targets (tests, intranet)
	UserAgent       string
	PerHostInterval time.Duration // minimum spacing between requests to one host; 0 = none
	MaxConcurrent   int           // requests in flight at once across all hosts
	// Now is the clock used to turn a Retry-After delay into a time; nil = time.Now.
	Now func() time.Time
}

// Conditional carries the validators of a previous response, sent as
// If-None-Match and If-Modified-Since.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is a fully read HTTP response.
type Response struct {
	Status       int
	Body         []byte // at most Options.MaxBytes; empty when NotModified
	ETag         string
	LastModified string
	FinalURL     string // after redirects
	ContentType  string
	NotModified  bool // 304: the Conditional validators still match
}

// RetryAfterError reports a 429 or 503 response carrying Retry-After: the server
// asks not to be contacted again before Until.
type RetryAfterError struct {
	Status int
	Until  time.Time
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("HTTP %d: retry after %s", e.Status, e.Until.UTC().Format(time.RFC3339))
}

// StatusError reports any other non-2xx, non-304 response.
type StatusError struct {
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// Client is safe for concurrent use. Create it with New.
type Client struct {
	opts Options
	http *http.Client
	sem  chan struct{}

	mu       sync.Mutex
	nextSlot map[string]time.Time // host → earliest start of its next request
}

// New returns a Client configured by opts.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	stepTimeout := min(opts.Timeout, 10*time.Second)
	dialer := &net.Dialer{Timeout: stepTimeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would bypass the dial-time address check
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   stepTimeout,
		ResponseHeaderTimeout: stepTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
	}
	return &Client{
		opts: opts,
		http: &http.Client{
			Transport:     transport,
			Timeout:       opts.Timeout,
			CheckRedirect: checkRedirect,
		},
		sem:      make(chan struct{}, opts.MaxConcurrent),
		nextSlot: make(map[string]time.Time),
	}
}

// MaxConcurrent reports how many requests the client runs at once.
func (c *Client) MaxConcurrent() int { return c.opts.MaxConcurrent }

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return ErrTooManyRedirects
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return ErrScheme
	}
	return nil
}

// Get fetches rawURL. A 304 answer is a success with NotModified set; any other
// non-2xx status is an error (*RetryAfterError for 429/503 with Retry-After,
// *StatusError otherwise). All errors are wrapped with the URL.
func (c *Client) Get(ctx context.Context, rawURL string, cond Conditional) (*Response, error) {
	resp, err := c.get(ctx, rawURL, cond)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return resp, nil
}

func (c *Client) get(ctx context.Context, rawURL string, cond Conditional) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ErrScheme
	}
	if u.Host == "" {
		return nil, errors.New("URL has no host")
	}

	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()

	if err := c.waitTurn(ctx, strings.ToLower(u.Hostname())); err != nil {
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}

	hr, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()

	r := &Response{
		Status:       hr.StatusCode,
		ETag:         hr.Header.Get("ETag"),
		LastModified: hr.Header.Get("Last-Modified"),
		FinalURL:     hr.Request.URL.String(),
		ContentType:  hr.Header.Get("Content-Type"),
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		r.NotModified = true
		if r.ETag == "" {
			r.ETag = cond.ETag
		}
		if r.LastModified == "" {
			r.LastModified = cond.LastModified
		}
		return r, nil
	case hr.StatusCode == http.StatusTooManyRequests || hr.StatusCode == http.StatusServiceUnavailable:
		if until, ok := parseRetryAfter(hr.Header.Get("Retry-After"), c.opts.Now()); ok {
			return nil, &RetryAfterError{Status: hr.StatusCode, Until: until}
		}
		return nil, &StatusError{Status: hr.StatusCode}
	case hr.StatusCode < 200 || hr.StatusCode > 299:
		return nil, &StatusError{Status: hr.StatusCode}
	}

	if hr.ContentLength > c.opts.MaxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, hr.ContentLength, c.opts.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, c.opts.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > c.opts.MaxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.opts.MaxBytes)
	}
	r.Body = body
	return r, nil
}

// waitTurn reserves the next request slot for host and sleeps until it starts.
func (c *Client) waitTurn(ctx context.Context, host string) error {
	if c.opts.PerHostInterval <= 0 {
		return nil
	}
	now := time.Now()
	c.mu.Lock()
	start := now
	if slot := c.nextSlot[host]; slot.After(now) {
		start = slot
	}
	c.nextSlot[host] = start.Add(c.opts.PerHostInterval)
	// Forget hosts whose slot has passed so the map does not grow without bound.
	if len(c.nextSlot) > 1024 {
		for h, t := range c.nextSlot {
			if t.Before(now) {
				delete(c.nextSlot, h)
			}
		}
	}
	c.mu.Unlock()

	wait := start.Sub(now)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			secs = 0
		}
		const maxSecs = 365 * 24 * 3600
		return now.Add(time.Duration(min(secs, maxSecs)) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}
