package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/store"
)

const feedCols = `id, url, title, site_url, category, etag, last_modified, last_fetch, next_fetch, error_count, last_error, items, added`

func scanFeed(r pgx.Row) (store.Feed, error) {
	var (
		f                    store.Feed
		lastFetch, nextFetch *time.Time
		added                time.Time
	)
	err := r.Scan(&f.ID, &f.URL, &f.Title, &f.SiteURL, &f.Category, &f.ETag, &f.LastModified, &lastFetch, &nextFetch,
		&f.ErrorCount, &f.LastError, &f.Items, &added)
	f.LastFetch, f.NextFetch, f.Added = utc(lastFetch), utc(nextFetch), added.UTC()
	return f, err
}

// AddFeed subscribes to a feed.
func (d *DB) AddFeed(ctx context.Context, sub feeds.Subscription) (store.Feed, error) {
	if strings.TrimSpace(sub.URL) == "" {
		return store.Feed{}, errors.New("add feed: empty URL")
	}
	f, err := scanFeed(d.pool.QueryRow(ctx, `INSERT INTO feeds (url, title, site_url, category, added) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (url) DO NOTHING RETURNING `+feedCols,
		clean(sub.URL), clean(sub.Title), clean(sub.SiteURL), clean(sub.Category), sec(d.now())))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Feed{}, fmt.Errorf("add feed %s: %w", sub.URL, store.ErrExists)
	}
	if err != nil {
		return store.Feed{}, fmt.Errorf("add feed %s: %w", sub.URL, err)
	}
	return f, nil
}

// Feeds lists subscriptions, oldest first.
func (d *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+feedCols+` FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Feed, error) { return scanFeed(r) })
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return out, nil
}

// RemoveFeed unsubscribes by ID or URL.
func (d *DB) RemoveFeed(ctx context.Context, idOrURL string) error {
	var tag pgconn.CommandTag
	var err error
	if id, perr := strconv.ParseInt(idOrURL, 10, 64); perr == nil {
		tag, err = d.pool.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id)
	} else {
		tag, err = d.pool.Exec(ctx, `DELETE FROM feeds WHERE url = $1`, idOrURL)
	}
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", idOrURL, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("remove feed %s: %w", idOrURL, store.ErrNotFound)
	}
	return nil
}

// DueFeeds returns the feeds whose next fetch time has come (never fetched
// first, then by next fetch time).
func (d *DB) DueFeeds(ctx context.Context, now time.Time) ([]feeds.FeedState, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+feedCols+` FROM feeds WHERE next_fetch IS NULL OR next_fetch <= $1
		ORDER BY next_fetch NULLS FIRST, id`, sec(now))
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (feeds.FeedState, error) {
		f, err := scanFeed(r)
		return f.FeedState, err
	})
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	return out, nil
}

// UpdateFeedState records a fetch result.
func (d *DB) UpdateFeedState(ctx context.Context, st feeds.FeedState) error {
	tag, err := d.pool.Exec(ctx, `UPDATE feeds SET title = CASE WHEN $1 <> '' THEN $1 ELSE title END,
		etag = $2, last_modified = $3, last_fetch = $4, next_fetch = $5, error_count = $6, last_error = $7, items = $8
		WHERE id = $9`,
		clean(st.Title), clean(st.ETag), clean(st.LastModified), timeOrNil(st.LastFetch), timeOrNil(st.NextFetch),
		st.ErrorCount, clean(st.LastError), st.Items, st.ID)
	if err != nil {
		return fmt.Errorf("update feed %d: %w", st.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update feed %d: %w", st.ID, store.ErrNotFound)
	}
	return nil
}
