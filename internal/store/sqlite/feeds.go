package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/store"
)

const feedCols = `id, url, title, site_url, category, etag, last_modified, last_fetch, next_fetch, error_count, last_error, items, added`

func scanFeed(r rowScanner) (store.Feed, error) {
	var (
		f                           store.Feed
		lastFetch, nextFetch, added int64
	)
	err := r.Scan(&f.ID, &f.URL, &f.Title, &f.SiteURL, &f.Category, &f.ETag, &f.LastModified, &lastFetch, &nextFetch,
		&f.ErrorCount, &f.LastError, &f.Items, &added)
	f.LastFetch = unixOrZero(sql.NullInt64{Int64: lastFetch, Valid: true})
	f.NextFetch = unixOrZero(sql.NullInt64{Int64: nextFetch, Valid: true})
	f.Added = time.Unix(added, 0).UTC()
	return f, err
}

// AddFeed subscribes to a feed.
func (d *DB) AddFeed(ctx context.Context, sub feeds.Subscription) (store.Feed, error) {
	if strings.TrimSpace(sub.URL) == "" {
		return store.Feed{}, errors.New("add feed: empty URL")
	}
	res, err := d.db.ExecContext(ctx, `INSERT INTO feeds(url, title, site_url, category, added) VALUES (?,?,?,?,?) ON CONFLICT(url) DO NOTHING`,
		sub.URL, sub.Title, sub.SiteURL, sub.Category, d.now().Unix())
	if err != nil {
		return store.Feed{}, fmt.Errorf("add feed %s: %w", sub.URL, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.Feed{}, fmt.Errorf("add feed %s: %w", sub.URL, store.ErrExists)
	}
	f, err := scanFeed(d.db.QueryRowContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE url = ?`, sub.URL))
	if err != nil {
		return store.Feed{}, fmt.Errorf("add feed %s: %w", sub.URL, err)
	}
	return f, nil
}

// Feeds lists subscriptions.
func (d *DB) Feeds(ctx context.Context) ([]store.Feed, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+feedCols+` FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	defer rows.Close()
	var out []store.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// RemoveFeed unsubscribes by ID or URL.
func (d *DB) RemoveFeed(ctx context.Context, idOrURL string) error {
	var res sql.Result
	var err error
	if id, perr := strconv.ParseInt(idOrURL, 10, 64); perr == nil {
		res, err = d.db.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
	} else {
		res, err = d.db.ExecContext(ctx, `DELETE FROM feeds WHERE url = ?`, idOrURL)
	}
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", idOrURL, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove feed %s: %w", idOrURL, store.ErrNotFound)
	}
	return nil
}

// DueFeeds returns feeds whose next fetch time has come.
func (d *DB) DueFeeds(ctx context.Context, now time.Time) ([]feeds.FeedState, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+feedCols+` FROM feeds WHERE next_fetch <= ? ORDER BY next_fetch, id`, now.Unix())
	if err != nil {
		return nil, fmt.Errorf("due feeds: %w", err)
	}
	defer rows.Close()
	var out []feeds.FeedState
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, fmt.Errorf("due feeds: %w", err)
		}
		out = append(out, f.FeedState)
	}
	return out, rows.Err()
}

// UpdateFeedState records a fetch result.
func (d *DB) UpdateFeedState(ctx context.Context, st feeds.FeedState) error {
	res, err := d.db.ExecContext(ctx, `UPDATE feeds SET title = CASE WHEN ? != '' THEN ? ELSE title END,
		etag = ?, last_modified = ?, last_fetch = ?, next_fetch = ?, error_count = ?, last_error = ?, items = ? WHERE id = ?`,
		st.Title, st.Title, st.ETag, st.LastModified, nullUnix(st.LastFetch).Int64, nullUnix(st.NextFetch).Int64,
		st.ErrorCount, st.LastError, st.Items, st.ID)
	if err != nil {
		return fmt.Errorf("update feed %d: %w", st.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update feed %d: %w", st.ID, store.ErrNotFound)
	}
	return nil
}
