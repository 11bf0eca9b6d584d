package feeds

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Errors of FetchNow; test them with errors.Is (and errors.As for
// *RateLimitError).
var (
	// ErrUnknownFeed: no subscribed feed has the ID.
	ErrUnknownFeed = errors.New("no such feed")
	// ErrFetchBusy: the feed is being fetched already (by a scheduled poll
	// or another FetchNow).
	ErrFetchBusy = errors.New("the feed is being fetched already")
)

// RateLimitError is why FetchNow refused to fetch a feed yet: it was fetched
// less than Poller.FetchNowGap ago, or its server answered 429/503 with a
// Retry-After that has not passed (remembered while the process runs).
type RateLimitError struct {
	FeedID int64
	Until  time.Time // when FetchNow may fetch the feed again
	Reason string
}

// RetryAfter is the wait before asking again, as of now, in whole seconds
// rounded up and at least 1: the value of a Retry-After header.
func (e *RateLimitError) RetryAfter(now time.Time) int {
	return int(max(math.Ceil(e.Until.Sub(now).Seconds()), 1))
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("feed %d: %s; try again after %s", e.FeedID, e.Reason, e.Until.UTC().Format(time.RFC3339))
}

// FetchResult is what one FetchNow did. A feed that could not be fetched or
// read is a result with Error set, not an error of FetchNow: the attempt
// counts as a failure of the feed, with the usual backoff.
type FetchResult struct {
	FeedID      int64          `json:"feed_id"`
	URL         string         `json:"url"`
	Title       string         `json:"title,omitempty"`
	Status      int            `json:"status,omitempty"` // HTTP status of the feed's answer; absent when there was none
	NotModified bool           `json:"not_modified"`     // 304: nothing new since the last fetch
	Items       int            `json:"items"`            // items in the feed
	New         int            `json:"new"`              // articles stored as new
	Duplicates  int            `json:"duplicates"`       // items already stored (by URL, before extraction, or by content)
	Rejected    int            `json:"rejected"`         // items refused, e.g. empty
	Reasons     map[string]int `json:"reasons,omitempty"`
	Error       string         `json:"error,omitempty"` // why the fetch failed
	Fetched     time.Time      `json:"fetched"`
	NextFetch   time.Time      `json:"next_fetch"` // the next scheduled poll of the feed
	ErrorCount  int            `json:"error_count"`
}

// FetchNow polls one feed at once, through the same path as a scheduled poll
// (conditional GET, the Client's SSRF guard, size cap, per-host rate limit
// and concurrency limit, the Filter, item page extraction, the Sink), saves
// its state and schedules its next poll relative to this fetch.
//
// It returns an error wrapping ErrUnknownFeed for an ID that is not
// subscribed, ErrFetchBusy when the feed is being polled already (FetchNow
// does not wait for that poll, nor fetch again after it), a *RateLimitError
// when the feed may not be fetched again yet, ctx's error when ctx ends
// during the fetch (the feed's state is then left as it was), and an error
// when the state cannot be saved.
func (p *Poller) FetchNow(ctx context.Context, id int64) (FetchResult, error) {
	if p.Lookup == nil {
		return FetchResult{}, errors.New("fetch now: the poller has no Lookup")
	}
	if _, err := p.Lookup(ctx, id); err != nil {
		return FetchResult{FeedID: id}, err
	}
	sl := p.slot(id)
	if !sl.busy.TryLock() {
		return FetchResult{FeedID: id}, fmt.Errorf("feed %d: %w", id, ErrFetchBusy)
	}
	defer sl.busy.Unlock()
	// Read the state again under the lock: a poll may have ended meanwhile.
	st, err := p.Lookup(ctx, id)
	if err != nil {
		return FetchResult{FeedID: id}, err
	}
	now := p.now()
	if sl.retryUntil.After(now) {
		return FetchResult{FeedID: id, URL: st.URL}, &RateLimitError{FeedID: id, Until: sl.retryUntil,
			Reason: "its server asked not to be contacted before then (Retry-After)"}
	}
	if gap := p.fetchNowGap(); gap > 0 && !st.LastFetch.IsZero() && now.Before(st.LastFetch.Add(gap)) {
		return FetchResult{FeedID: id, URL: st.URL}, &RateLimitError{FeedID: id, Until: st.LastFetch.Add(gap),
			Reason: fmt.Sprintf("it was fetched less than %s ago", gap)}
	}

	res := p.pollFeed(ctx, st)
	if res.err != nil && ctx.Err() != nil {
		return FetchResult{FeedID: id, URL: st.URL}, fmt.Errorf("fetch feed %d: %w", id, ctx.Err())
	}
	if err := p.Store.UpdateFeedState(ctx, res.state); err != nil {
		return FetchResult{FeedID: id, URL: st.URL}, fmt.Errorf("saving state of feed %d (%s): %w", id, st.URL, err)
	}
	sl.record(res)
	out := FetchResult{
		FeedID:      id,
		URL:         st.URL,
		Title:       res.state.Title,
		Status:      res.status,
		NotModified: res.notModified,
		Items:       res.items,
		New:         res.outcome.New,
		Duplicates:  res.known + res.outcome.Duplicates,
		Rejected:    res.outcome.Rejected,
		Reasons:     res.outcome.Reasons,
		Fetched:     res.state.LastFetch,
		NextFetch:   res.state.NextFetch,
		ErrorCount:  res.state.ErrorCount,
	}
	if res.err != nil {
		out.Error = res.err.Error()
	}
	p.logger().Info("feed fetched on request", "feed", id, "url", st.URL, "status", out.Status, "items", out.Items,
		"new", out.New, "duplicates", out.Duplicates, "rejected", out.Rejected, "err", out.Error)
	return out, nil
}

func (p *Poller) fetchNowGap() time.Duration {
	if p.FetchNowGap == 0 {
		return DefaultFetchNowGap
	}
	return p.FetchNowGap
}
