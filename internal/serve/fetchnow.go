package serve

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/vantage-news/vantage/internal/feeds"
)

// FeedFetcher fetches one subscribed feed on request; *feeds.Poller
// satisfies it. It must be the poller that runs the scheduled polls, so the
// two never fetch one feed at once.
type FeedFetcher interface {
	FetchNow(ctx context.Context, id int64) (feeds.FetchResult, error)
}

// fetchFeed is POST /api/v1/feeds/{id}/fetch: poll one feed now. 200 with
// the result, also when the feed failed (its error is in the result); 404
// for an unknown feed, 409 when the feed is being fetched already, 429 with
// Retry-After when it may not be fetched again yet, 503 when the server has
// no fetcher.
func (s *Server) fetchFeed(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "feed id must be an integer (the id of GET /api/v1/feeds)")
		return
	}
	if s.Fetcher == nil {
		writeProblem(w, http.StatusServiceUnavailable, "fetching feeds on request is not enabled on this server")
		return
	}
	res, err := s.Fetcher.FetchNow(r.Context(), id)
	var rl *feeds.RateLimitError
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, res)
	case errors.Is(err, feeds.ErrUnknownFeed):
		writeProblem(w, http.StatusNotFound, "no feed "+strconv.FormatInt(id, 10))
	case errors.Is(err, feeds.ErrFetchBusy):
		writeProblem(w, http.StatusConflict, err.Error()+"; its result will show in GET /api/v1/feeds")
	case errors.As(err, &rl):
		w.Header().Set("Retry-After", strconv.Itoa(rl.RetryAfter(timeNow())))
		writeProblem(w, http.StatusTooManyRequests, err.Error())
	default:
		s.writeError(w, r, err)
	}
}
