package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
)

// PutStories saves story records, assignments and merges in one transaction.
func (d *DB) PutStories(ctx context.Context, u store.StoryUpdate) (err error) {
	if len(u.Stories) == 0 && len(u.Assignments) == 0 && len(u.Redirects) == 0 {
		return nil
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("put stories: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	for from, to := range u.Redirects {
		for _, q := range []string{
			`INSERT INTO story_redirects(from_id, to_id) VALUES (?1, ?2) ON CONFLICT(from_id) DO UPDATE SET to_id = ?2`,
			`UPDATE story_redirects SET to_id = ?2 WHERE to_id = ?1`,
			`UPDATE articles SET story_id = ?2 WHERE story_id = ?1`,
			`DELETE FROM stories WHERE id = ?1`,
		} {
			if _, err := tx.ExecContext(ctx, q, from, to); err != nil {
				return fmt.Errorf("put stories: redirect %s to %s: %w", from, to, err)
			}
		}
	}
	assign, err := tx.PrepareContext(ctx, `UPDATE articles SET story_id = ?, dup_of = ? WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("put stories: prepare: %w", err)
	}
	defer assign.Close()
	for _, a := range u.Assignments {
		if _, err := assign.ExecContext(ctx, a.StoryID, nullString(a.DuplicateOf), a.ArticleID); err != nil {
			return fmt.Errorf("put stories: assign %s: %w", a.ArticleID, err)
		}
	}
	recs, err := store.StoryRecords(u.Stories, d.now().UTC())
	if err != nil {
		return fmt.Errorf("put stories: %w", err)
	}
	for _, s := range recs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories(id, headline, first_seen, last_seen, articles, sources, data)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
			ON CONFLICT(id) DO UPDATE SET headline = ?2, first_seen = ?3, last_seen = ?4, articles = ?5, sources = ?6, data = ?7`,
			s.ID, s.Headline, nullUnix(s.FirstSeen), s.LastSeen.Unix(), s.ArticleCount, s.IndependentSourceCount, string(s.Data)); err != nil {
			return fmt.Errorf("put stories: save %s: %w", s.ID, err)
		}
		for _, q := range []string{`DELETE FROM story_places WHERE story_id = ?`, `DELETE FROM story_topics WHERE story_id = ?`,
			`DELETE FROM story_redirects WHERE from_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, s.ID); err != nil {
				return fmt.Errorf("put stories: save %s: %w", s.ID, err)
			}
		}
		for _, f := range s.Focus {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_places(story_id, geonameid, country, weight) VALUES (?, ?, ?, ?)
				ON CONFLICT DO UPDATE SET weight = weight + excluded.weight`, s.ID, f.GeonameID, f.Country, f.Weight); err != nil {
				return fmt.Errorf("put stories: save places of %s: %w", s.ID, err)
			}
		}
		for _, t := range s.Topics {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_topics(story_id, slug, score) VALUES (?, ?, ?)
				ON CONFLICT DO UPDATE SET score = max(score, excluded.score)`, s.ID, t.Slug, t.Score); err != nil {
				return fmt.Errorf("put stories: save topics of %s: %w", s.ID, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("put stories: commit: %w", err)
	}
	return nil
}

// Story returns one story, following redirects.
func (d *DB) Story(ctx context.Context, id string) (*article.Story, error) {
	var data string
	err := d.db.QueryRowContext(ctx, `SELECT data FROM stories WHERE id = COALESCE((SELECT to_id FROM story_redirects WHERE from_id = ?1), ?1)`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("story %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("story %s: %w", id, err)
	}
	return store.DecodeStory(id, []byte(data))
}

// SplitLinks returns the stories last seen at or after since that were
// split from another, with that other story.
func (d *DB) SplitLinks(ctx context.Context, since time.Time) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, json_extract(data, '$.split_from') FROM stories
		WHERE last_seen >= ? AND json_extract(data, '$.split_from') IS NOT NULL`, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("split links: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, from string
		if err := rows.Scan(&id, &from); err != nil {
			return nil, fmt.Errorf("split links: %w", err)
		}
		out[id] = from
	}
	return out, rows.Err()
}

// Stories lists stories, most recent first.
func (d *DB) Stories(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	p, err := store.NewStoryPager(q)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: %w", err)
	}
	var where []string
	var args []any
	if c := p.After; c != nil {
		where = append(where, "(s.last_seen < ? OR (s.last_seen = ? AND s.id < ?))")
		args = append(args, c.T, c.T, c.ID)
	}
	if !q.Since.IsZero() {
		where = append(where, "s.last_seen >= ?")
		args = append(args, q.Since.Unix())
	}
	// has filters on a table of the story's places or topics.
	has := func(table, col string, vals []any) {
		if len(vals) > 0 {
			where = append(where, "EXISTS (SELECT 1 FROM "+table+" f WHERE f.story_id = s.id AND f."+col+" IN ("+placeholders(len(vals))+"))")
			args = append(args, vals...)
		}
	}
	has("story_places", "country", anys(p.Countries()))
	has("story_places", "geonameid", anys(q.Places))
	has("story_topics", "slug", anys(q.Topics))
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, p.Limit+1)
	rows, err := d.db.QueryContext(ctx, `SELECT s.id, s.last_seen, s.data FROM stories s`+w+` ORDER BY s.last_seen DESC, s.id DESC LIMIT ?`, args...)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: query: %w", err)
	}
	defer rows.Close()
	return p.Read(rows, func() (id string, t int64, data []byte, err error) {
		err = rows.Scan(&id, &t, &data)
		return id, t, data, err
	})
}

// Replay streams the articles of the window in arrival order.
func (d *DB) Replay(ctx context.Context, since time.Time, fn func(*article.Article) error) error {
	rows, err := d.db.QueryContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.sort_time >= ? ORDER BY a.seq`, since.Unix())
	if err != nil {
		return fmt.Errorf("replay: query: %w", err)
	}
	defer rows.Close()
	return store.ReplayRows(rows, scanArticles(rows), fn)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// anys makes query arguments of a list.
func anys[T any](vals []T) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}
