package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/feeds"
)

// FeedFetcher fetches one subscribed feed at once; *feeds.Poller satisfies
// it. It must be the poller that runs the scheduled polls, so the two never
// fetch one feed at the same time.
type FeedFetcher interface {
	FetchNow(ctx context.Context, id int64) (feeds.FetchResult, error)
}

// fetchSource is the "Fetch now" button of /sources: it fetches one feed and
// redirects back to the list with the result in the URL (counts, status and
// the feed's ID only; the texts are fixed and the error is read back from
// the feed's stored state).
func (s *Site) fetchSource(w http.ResponseWriter, r *http.Request) (*view, error) {
	ctx := r.Context()
	if s.Fetcher == nil {
		return s.sourcesView(ctx, &sourcesData{Problem: "This server does not fetch feeds on request."}, http.StatusServiceUnavailable)
	}
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("id")), 10, 64)
	if err != nil {
		return s.sourcesView(ctx, &sourcesData{Problem: "Say which feed to fetch."}, http.StatusBadRequest)
	}
	res, err := s.Fetcher.FetchNow(ctx, id)
	var rl *feeds.RateLimitError
	switch {
	case err == nil:
	case errors.Is(err, feeds.ErrUnknownFeed):
		return s.sourcesView(ctx, &sourcesData{Problem: "That feed is not in the list (any more)."}, http.StatusNotFound)
	case errors.Is(err, feeds.ErrFetchBusy):
		return s.sourcesView(ctx, &sourcesData{Problem: "That feed is being fetched right now; reload this page in a moment to see the result."}, http.StatusConflict)
	case errors.As(err, &rl):
		secs := rl.RetryAfter(time.Now())
		wait := time.Duration(secs) * time.Second
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return s.sourcesView(ctx, &sourcesData{Problem: fmt.Sprintf("That feed cannot be fetched again yet: %s. Try again in %s.", rl.Reason, wait)},
			http.StatusTooManyRequests)
	default:
		return nil, err
	}
	q := url.Values{"feed": {strconv.FormatInt(id, 10)}}
	if res.Status != 0 {
		q.Set("status", strconv.Itoa(res.Status))
	}
	switch {
	case res.Error != "":
		q.Set("done", "fetch-failed")
	case res.NotModified:
		q.Set("done", "unchanged")
	default:
		q.Set("done", "fetched")
		q.Set("items", strconv.Itoa(res.Items))
		q.Set("new", strconv.Itoa(res.New))
		q.Set("dup", strconv.Itoa(res.Duplicates))
		q.Set("rej", strconv.Itoa(res.Rejected))
	}
	return redirect(w, r, "/sources?"+q.Encode())
}

// fetchNotice is the status line after a "Fetch now", built from fixed texts,
// the counts in q and the feed's stored state.
func fetchNotice(d *sourcesData, q url.Values) {
	n := func(k string) int { i, _ := strconv.Atoi(q.Get(k)); return max(i, 0) }
	id, _ := strconv.ParseInt(q.Get("feed"), 10, 64)
	name := "the feed"
	var fv *feedView
	for i := range d.Feeds {
		if d.Feeds[i].ID == id {
			fv = &d.Feeds[i]
			if t := fv.Title; t != "" {
				name = "“" + t + "”"
			} else {
				name = fv.URL
			}
		}
	}
	status := ""
	if st := n("status"); st > 0 {
		status = fmt.Sprintf(" (HTTP %d)", st)
	}
	switch q.Get("done") {
	case "fetched":
		d.Notice = fmt.Sprintf("Fetched %s%s: %s, %d new, %d already stored, %d rejected.", name, status,
			plural(n("items"), "item", "items"), n("new"), n("dup"), n("rej"))
	case "unchanged":
		d.Notice = fmt.Sprintf("Fetched %s%s: nothing has changed since the last fetch.", name, status)
	case "fetch-failed":
		why := ""
		if fv != nil && fv.LastError != "" {
			why = ": " + fv.LastError
		}
		next := ""
		if fv != nil && fv.NextFetch != "—" {
			next = " The next try is " + fv.NextFetch + "."
		}
		d.Problem = fmt.Sprintf("Fetching %s failed%s%s.%s", name, status, why, next)
	}
}
