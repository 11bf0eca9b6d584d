package store

import (
	"context"
	"fmt"

	"github.com/vantage-news/vantage/internal/feeds"
)

// FeedLookup returns a function that finds one subscribed feed of s by ID,
// or an error wrapping feeds.ErrUnknownFeed: the Poller's Lookup.
func FeedLookup(s Store) func(ctx context.Context, id int64) (feeds.FeedState, error) {
	return func(ctx context.Context, id int64) (feeds.FeedState, error) {
		fs, err := s.Feeds(ctx)
		if err != nil {
			return feeds.FeedState{}, err
		}
		for _, f := range fs {
			if f.ID == id {
				return f.FeedState, nil
			}
		}
		return feeds.FeedState{}, fmt.Errorf("feed %d: %w", id, feeds.ErrUnknownFeed)
	}
}
