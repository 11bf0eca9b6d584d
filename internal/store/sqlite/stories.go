package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
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
	now := d.now().UTC()
	for i := range u.Stories {
		s := &u.Stories[i]
		if s.ID == "" {
			return fmt.Errorf("put stories: story %d has no ID", i)
		}
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("put stories: encode %s: %w", s.ID, err)
		}
		last := s.LastSeen
		if last.IsZero() {
			last = s.Updated
		}
		if last.IsZero() {
			last = now
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stories(id, headline, first_seen, last_seen, articles, sources, data)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
			ON CONFLICT(id) DO UPDATE SET headline = ?2, first_seen = ?3, last_seen = ?4, articles = ?5, sources = ?6, data = ?7`,
			s.ID, s.Headline, nullUnix(s.FirstSeen), last.Unix(), s.ArticleCount, s.IndependentSourceCount, string(b)); err != nil {
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
	var s article.Story
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		return nil, fmt.Errorf("story %s: decode: %w", id, err)
	}
	return &s, nil
}

// storyCursor is the keyset position of a story page.
type storyCursor struct {
	T  int64  `json:"t"`
	ID string `json:"i"`
}

// Stories lists stories, most recent first.
func (d *DB) Stories(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	limit := store.ClampLimit(q.Limit)
	var where []string
	var args []any
	if q.Cursor != "" {
		var c storyCursor
		if err := decodeJSONCursor(q.Cursor, &c); err != nil {
			return store.StoryPage{}, fmt.Errorf("stories: %w", err)
		}
		where = append(where, "(s.last_seen < ? OR (s.last_seen = ? AND s.id < ?))")
		args = append(args, c.T, c.T, c.ID)
	}
	if !q.Since.IsZero() {
		where = append(where, "s.last_seen >= ?")
		args = append(args, q.Since.Unix())
	}
	if len(q.Countries) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM story_places p WHERE p.story_id = s.id AND p.country IN ("+placeholders(len(q.Countries))+"))")
		for _, c := range q.Countries {
			args = append(args, strings.ToUpper(c))
		}
	}
	if len(q.Places) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM story_places p WHERE p.story_id = s.id AND p.geonameid IN ("+placeholders(len(q.Places))+"))")
		for _, p := range q.Places {
			args = append(args, p)
		}
	}
	if len(q.Topics) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM story_topics t WHERE t.story_id = s.id AND t.slug IN ("+placeholders(len(q.Topics))+"))")
		for _, t := range q.Topics {
			args = append(args, t)
		}
	}
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit+1)
	rows, err := d.db.QueryContext(ctx, `SELECT s.id, s.last_seen, s.data FROM stories s`+w+` ORDER BY s.last_seen DESC, s.id DESC LIMIT ?`, args...)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: query: %w", err)
	}
	defer rows.Close()
	page := store.StoryPage{Stories: []article.Story{}}
	var last storyCursor
	for rows.Next() {
		var id, data string
		var t int64
		if err := rows.Scan(&id, &t, &data); err != nil {
			return store.StoryPage{}, fmt.Errorf("stories: scan: %w", err)
		}
		if len(page.Stories) == limit {
			page.Next = encodeJSONCursor(last)
			break
		}
		var s article.Story
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			return store.StoryPage{}, fmt.Errorf("stories: decode %s: %w", id, err)
		}
		page.Stories = append(page.Stories, s)
		last = storyCursor{T: t, ID: id}
	}
	if err := rows.Err(); err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: %w", err)
	}
	return page, nil
}

// Replay streams the articles of the window in arrival order.
func (d *DB) Replay(ctx context.Context, since time.Time, fn func(*article.Article) error) error {
	rows, err := d.db.QueryContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.sort_time >= ? ORDER BY a.seq`, since.Unix())
	if err != nil {
		return fmt.Errorf("replay: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, _, _, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("replay: scan: %w", err)
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
