package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
)

// PutStories saves story records, assignments and merges in one transaction.
// Rows are written in ID order, so instances saving overlapping updates wait
// for each other rather than deadlock (a deadlock would still be retried).
func (d *DB) PutStories(ctx context.Context, u store.StoryUpdate) error {
	if len(u.Stories) == 0 && len(u.Assignments) == 0 && len(u.Redirects) == 0 {
		return nil
	}
	// Redirects: follow chains inside the update (a→b, b→c make a→c) so the
	// result does not depend on map order.
	froms := make([]string, 0, len(u.Redirects))
	for from := range u.Redirects {
		froms = append(froms, from)
	}
	sort.Strings(froms)
	targets := make([]string, len(froms))
	for i, from := range froms {
		to := u.Redirects[from]
		for range len(u.Redirects) {
			next, ok := u.Redirects[to]
			if !ok || next == to {
				break
			}
			to = next
		}
		targets[i] = to
	}
	assigns := slices.Clone(u.Assignments)
	slices.SortStableFunc(assigns, func(a, b store.Assignment) int { return strings.Compare(a.ArticleID, b.ArticleID) })

	type storyRow struct {
		id, headline      string
		first, last       *time.Time
		articles, sources int
		data              string
		places            map[int64]*article.Focus
		topics            map[string]float64
	}
	recs, err := store.StoryRecords(u.Stories, d.now().UTC())
	if err != nil {
		return fmt.Errorf("put stories: %w", err)
	}
	var stories []storyRow
	for _, s := range recs {
		row := storyRow{id: clean(s.ID), headline: clean(s.Headline), first: timeOrNil(s.FirstSeen), last: timeOrNil(s.LastSeen),
			articles: s.ArticleCount, sources: s.IndependentSourceCount, data: string(jsonbSafe(s.Data)),
			places: map[int64]*article.Focus{}, topics: map[string]float64{}}
		for _, f := range s.Focus { // repeated places add up, as in the SQLite store
			if p, ok := row.places[f.GeonameID]; ok {
				p.Weight += f.Weight
			} else {
				row.places[f.GeonameID] = &f
			}
		}
		for _, t := range s.Topics { // repeated topics keep the best score
			if old, ok := row.topics[t.Slug]; !ok || t.Score > old {
				row.topics[t.Slug] = t.Score
			}
		}
		stories = append(stories, row)
	}
	// The last record of a story ID wins, as with one upsert after another.
	slices.SortStableFunc(stories, func(a, b storyRow) int { return strings.Compare(a.id, b.id) })
	for i := len(stories) - 1; i > 0; i-- {
		if stories[i].id == stories[i-1].id {
			stories = slices.Delete(stories, i-1, i)
		}
	}

	err = d.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for i, from := range froms {
			from, to := clean(from), clean(targets[i])
			b.Queue(`INSERT INTO story_redirects (from_id, to_id) VALUES ($1, $2) ON CONFLICT (from_id) DO UPDATE SET to_id = $2`, from, to)
			b.Queue(`UPDATE story_redirects SET to_id = $2 WHERE to_id = $1`, from, to)
			b.Queue(`UPDATE articles SET story_id = $2 WHERE story_id = $1`, from, to)
			b.Queue(`DELETE FROM stories WHERE id = $1`, from)
		}
		for _, a := range assigns {
			b.Queue(`UPDATE articles SET story_id = $1, dup_of = $2 WHERE id = $3`, clean(a.StoryID), stringOrNil(a.DuplicateOf), a.ArticleID)
		}
		for _, s := range stories {
			b.Queue(`INSERT INTO stories (id, headline, first_seen, last_seen, articles, sources, data)
				VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
				ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, first_seen = excluded.first_seen,
					last_seen = excluded.last_seen, articles = excluded.articles, sources = excluded.sources, data = excluded.data`,
				s.id, s.headline, s.first, s.last, s.articles, s.sources, s.data)
			b.Queue(`DELETE FROM story_places WHERE story_id = $1`, s.id)
			b.Queue(`DELETE FROM story_topics WHERE story_id = $1`, s.id)
			b.Queue(`DELETE FROM story_redirects WHERE from_id = $1`, s.id)
			if len(s.places) > 0 {
				var ids []int64
				var countries []string
				var weights []float64
				for id, f := range s.places {
					ids, countries, weights = append(ids, id), append(countries, clean(f.Country)), append(weights, f.Weight)
				}
				b.Queue(`INSERT INTO story_places (story_id, geonameid, country, weight)
					SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::float8[])`, s.id, ids, countries, weights)
			}
			if len(s.topics) > 0 {
				var slugs []string
				var scores []float64
				for slug, score := range s.topics {
					slugs, scores = append(slugs, clean(slug)), append(scores, score)
				}
				b.Queue(`INSERT INTO story_topics (story_id, slug, score)
					SELECT $1, * FROM unnest($2::text[], $3::float8[])`, s.id, slugs, scores)
			}
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return fmt.Errorf("put stories: %w", err)
	}
	return nil
}

// SplitLinks returns the stories last seen at or after since that were
// split from another, with that other story.
func (d *DB) SplitLinks(ctx context.Context, since time.Time) (map[string]string, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, data->>'split_from' FROM stories
		WHERE last_seen >= $1 AND data->>'split_from' IS NOT NULL`, since.UTC())
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

// Story returns one story, following redirects.
func (d *DB) Story(ctx context.Context, id string) (*article.Story, error) {
	var data []byte
	err := d.pool.QueryRow(ctx, `SELECT data FROM stories
		WHERE id = COALESCE((SELECT to_id FROM story_redirects WHERE from_id = $1), $1)`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("story %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("story %s: %w", id, err)
	}
	return store.DecodeStory(id, data)
}

// Stories lists stories, most recent first.
func (d *DB) Stories(ctx context.Context, q store.StoryQuery) (store.StoryPage, error) {
	p, err := store.NewStoryPager(q)
	if err == nil && p.After != nil && !storableUnix(p.After.T) {
		err = store.ErrCursor
	}
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: %w", err)
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if c := p.After; c != nil {
		where = append(where, "(s.last_seen, s.id) < ("+arg(time.Unix(c.T, 0).UTC())+", "+arg(c.ID)+")")
	}
	if !q.Since.IsZero() {
		where = append(where, "s.last_seen >= "+arg(sec(q.Since)))
	}
	// has filters on a table of the story's places or topics.
	has := func(table, col string, n int, vals any) {
		if n > 0 {
			where = append(where, "EXISTS (SELECT 1 FROM "+table+" f WHERE f.story_id = s.id AND f."+col+" = ANY("+arg(vals)+"))")
		}
	}
	has("story_places", "country", len(q.Countries), p.Countries())
	has("story_places", "geonameid", len(q.Places), q.Places)
	has("story_topics", "slug", len(q.Topics), q.Topics)
	w := ""
	if len(where) > 0 {
		w = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := d.pool.Query(ctx, `SELECT s.id, s.last_seen, s.data FROM stories s`+w+
		` ORDER BY s.last_seen DESC, s.id DESC LIMIT `+arg(p.Limit+1), args...)
	if err != nil {
		return store.StoryPage{}, fmt.Errorf("stories: query: %w", err)
	}
	defer rows.Close()
	return p.Read(rows, func() (string, int64, []byte, error) {
		var id string
		var t time.Time
		var data []byte
		err := rows.Scan(&id, &t, &data)
		return id, t.Unix(), data, err
	})
}

// Replay streams the articles of the window in arrival order.
func (d *DB) Replay(ctx context.Context, since time.Time, fn func(*article.Article) error) error {
	rows, err := d.pool.Query(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.sort_time >= $1 ORDER BY a.seq`, sec(since))
	if err != nil {
		return fmt.Errorf("replay: query: %w", err)
	}
	defer rows.Close()
	return store.ReplayRows(rows, scanArticles(rows), fn)
}
