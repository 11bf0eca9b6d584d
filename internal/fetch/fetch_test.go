package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIsBlocked(t *testing.T) {
	tests := []struct {
		ip      string
		blocked bool
	}{
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"10.0.0.1", true},
		{"10.255.255.255", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"172.32.0.1", false},
		{"172.15.255.255", false},
		{"192.168.1.1", true},
		{"192.169.0.1", false},
		{"169.254.169.254", true}, // cloud metadata
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"100.128.0.1", false},
		{"224.0.0.1", true},
		{"255.255.255.255", true},
		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"93.184.216.34", false},
		{"::1", true},
		{"::", true},
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"febf::1", true},
		{"fc00::1", true},
		{"fd12:3456:789a::1", true},
		{"ff02::1", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.1.2.3", true},
		{"::ffff:169.254.169.254", true},
		{"::ffff:8.8.8.8", false},
		{"::127.0.0.1", true},       // IPv4-compatible
		{"64:ff9b::7f00:1", true},   // NAT64 of 127.0.0.1
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
		{"2002:7f00:1::1", true},    // 6to4 of 127.0.0.1
		{"2002:808:808::1", false},  // 6to4 of 8.8.8.8
		{"2001:db8::1", true},       // documentation
		{"2606:4700:4700::1111", false},
		{"2a00:1450:4001:81c::200e", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			addr, err := netip.ParseAddr(tt.ip)
			if err != nil {
				t.Fatal(err)
			}
			if got := isBlocked(addr); got != tt.blocked {
				t.Errorf("isBlocked(%s) = %v, want %v", tt.ip, got, tt.blocked)
			}
		})
	}
}

func TestGetRefusesPrivate(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "secret")
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.URL, "http://"))

	urls := []string{ts.URL, "http://localhost:" + port + "/"}
	if ln6, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ts6 := httptest.NewUnstartedServer(ts.Config.Handler)
		ts6.Listener.Close()
		ts6.Listener = ln6
		ts6.Start()
		defer ts6.Close()
		urls = append(urls, ts6.URL)
	}
	c := New(Options{Timeout: 5 * time.Second})
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			_, err := c.Get(t.Context(), u, Conditional{})
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("Get(%s) error = %v, want ErrPrivateAddress", u, err)
			}
			if !strings.Contains(err.Error(), u) {
				t.Errorf("error %q does not name the URL", err)
			}
		})
	}

	// The same server is reachable when private addresses are allowed.
	open := New(Options{AllowPrivate: true, Timeout: 5 * time.Second})
	resp, err := open.Get(t.Context(), ts.URL, Conditional{})
	if err != nil {
		t.Fatalf("AllowPrivate Get: %v", err)
	}
	if string(resp.Body) != "secret" {
		t.Errorf("body = %q", resp.Body)
	}
}

func TestGetRejectsScheme(t *testing.T) {
	c := New(Options{AllowPrivate: true})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://x/", "javascript:alert(1)", "/relative"} {
		if _, err := c.Get(t.Context(), u, Conditional{}); !errors.Is(err, ErrScheme) {
			t.Errorf("Get(%q) error = %v, want ErrScheme", u, err)
		}
	}
}

func TestRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			fmt.Fprint(w, "done")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c := New(Options{AllowPrivate: true})

	resp, err := c.Get(t.Context(), ts.URL+"/hop/5", Conditional{})
	if err != nil {
		t.Fatalf("5 redirects: %v", err)
	}
	if want := ts.URL + "/hop/0"; resp.FinalURL != want {
		t.Errorf("FinalURL = %q, want %q", resp.FinalURL, want)
	}
	if _, err := c.Get(t.Context(), ts.URL+"/hop/6", Conditional{}); !errors.Is(err, ErrTooManyRedirects) {
		t.Errorf("6 redirects: error = %v, want ErrTooManyRedirects", err)
	}
	if _, err := c.Get(t.Context(), ts.URL+"/to-file", Conditional{}); !errors.Is(err, ErrScheme) {
		t.Errorf("redirect to file: error = %v, want ErrScheme", err)
	}
}

// TestRedirectToPrivateRefused: a server the guard lets through cannot be
// simulated offline, so the guard is exercised on the redirect hop by allowing
// the first dial only.
func TestRedirectToPrivateRefused(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "internal")
	}))
	defer target.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusFound)
	}))
	defer front.Close()

	c := New(Options{})
	frontAddr := strings.TrimPrefix(front.URL, "http://")
	tr := c.http.Transport.(*http.Transport)
	guarded := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == frontAddr {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
		return guarded(ctx, network, addr)
	}
	_, err := c.Get(t.Context(), front.URL, Conditional{})
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("error = %v, want ErrPrivateAddress", err)
	}
}

func TestConditional(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Wed, 21 Oct 2015 07:28:00 GMT"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/etag":
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		case "/lastmod":
			if r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lastMod)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	defer ts.Close()
	c := New(Options{AllowPrivate: true})

	tests := []struct {
		name string
		path string
		cond Conditional
		want Response
	}{
		{"etag first", "/etag", Conditional{}, Response{Status: 200, Body: []byte("<rss/>"), ETag: etag, ContentType: "application/rss+xml"}},
		{"etag match", "/etag", Conditional{ETag: etag}, Response{Status: 304, ETag: etag, NotModified: true}},
		{"etag stale", "/etag", Conditional{ETag: `"v0"`}, Response{Status: 200, Body: []byte("<rss/>"), ETag: etag, ContentType: "application/rss+xml"}},
		{"lastmod first", "/lastmod", Conditional{}, Response{Status: 200, Body: []byte("<rss/>"), LastModified: lastMod, ContentType: "application/rss+xml"}},
		{"lastmod match", "/lastmod", Conditional{LastModified: lastMod}, Response{Status: 304, LastModified: lastMod, NotModified: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Get(t.Context(), ts.URL+tt.path, tt.cond)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.FinalURL = ts.URL + tt.path
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSizeCap(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("chunked") {
			// No Content-Length: the cap must hold while streaming.
			for range 10 {
				w.Write([]byte(strings.Repeat("x", 100)))
				w.(http.Flusher).Flush()
			}
			return
		}
		fmt.Fprint(w, strings.Repeat("x", 1000))
	}))
	defer ts.Close()

	tests := []struct {
		name    string
		max     int64
		query   string
		wantErr error
	}{
		{"fits", 1000, "", nil},
		{"content-length over", 999, "", ErrTooLarge},
		{"chunked fits", 1000, "?chunked", nil},
		{"chunked over", 500, "?chunked", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{AllowPrivate: true, MaxBytes: tt.max})
			resp, err := c.Get(t.Context(), ts.URL+tt.query, Conditional{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(resp.Body) != 1000 {
				t.Errorf("body length = %d", len(resp.Body))
			}
		})
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)

	c := New(Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	for _, path := range []string{"/hang", "/slow-body"} {
		t.Run(path, func(t *testing.T) {
			start := time.Now()
			_, err := c.Get(t.Context(), ts.URL+path, Conditional{})
			if err == nil {
				t.Fatal("want a timeout error")
			}
			if elapsed := time.Since(start); elapsed > 10*time.Second {
				t.Errorf("took %v, timeout not enforced", elapsed)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	date := now.Add(2 * time.Hour)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/seconds":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		case "/date":
			w.Header().Set("Retry-After", date.Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/bare":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/garbage":
			w.Header().Set("Retry-After", "soon")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer ts.Close()
	c := New(Options{AllowPrivate: true, Now: func() time.Time { return now }})

	tests := []struct {
		path      string
		wantUntil time.Time // zero: expect *StatusError instead
		status    int
	}{
		{"/seconds", now.Add(120 * time.Second), 429},
		{"/date", date, 503},
		{"/bare", time.Time{}, 503},
		{"/garbage", time.Time{}, 429},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := c.Get(t.Context(), ts.URL+tt.path, Conditional{})
			var ra *RetryAfterError
			var se *StatusError
			switch {
			case tt.wantUntil.IsZero():
				if !errors.As(err, &se) || se.Status != tt.status {
					t.Fatalf("error = %v, want StatusError %d", err, tt.status)
				}
			case !errors.As(err, &ra):
				t.Fatalf("error = %v, want RetryAfterError", err)
			case !ra.Until.Equal(tt.wantUntil) || ra.Status != tt.status:
				t.Errorf("got %v (status %d), want until %v status %d", ra.Until, ra.Status, tt.wantUntil, tt.status)
			}
		})
	}
}

func TestPerHostInterval(t *testing.T) {
	var mu sync.Mutex
	var stamps []time.Time
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stamps = append(stamps, time.Now())
		mu.Unlock()
	}))
	defer ts.Close()

	const interval = 50 * time.Millisecond
	const n = 4
	c := New(Options{AllowPrivate: true, PerHostInterval: interval})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := c.Get(t.Context(), ts.URL, Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(stamps) != n {
		t.Fatalf("server saw %d requests, want %d", len(stamps), n)
	}
	// Loose check: n requests spaced by interval span at least (n-1)·interval,
	// minus slack for scheduling between reservation and arrival.
	span := stamps[n-1].Sub(stamps[0])
	if min := time.Duration(n-1) * interval * 3 / 4; span < min {
		t.Errorf("requests spanned %v, want at least %v", span, min)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak := 0, 0
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	defer ts.Close()
	c := New(Options{AllowPrivate: true, MaxConcurrent: 2})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.Get(t.Context(), ts.URL, Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak > 2 {
		t.Errorf("peak concurrency %d, want ≤ 2", peak)
	}
}

func TestContextCancelWhileWaiting(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ts.Close()
	c := New(Options{AllowPrivate: true, PerHostInterval: time.Hour})
	if _, err := c.Get(t.Context(), ts.URL, Conditional{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, ts.URL, Conditional{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want deadline exceeded", err)
	}
}
