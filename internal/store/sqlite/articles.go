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

// PutArticles stores a batch in one transaction, skipping duplicates.
func (d *DB) PutArticles(ctx context.Context, arts []article.Article) (out []store.PutOutcome, err error) {
	if len(arts) == 0 {
		return nil, nil
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("put articles: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	find, err := tx.PrepareContext(ctx, `SELECT id FROM articles WHERE canonical_url = ?1 AND ?1 IS NOT NULL
		UNION ALL SELECT id FROM articles WHERE content_hash = ?2
		UNION ALL SELECT id FROM articles WHERE id = ?3 LIMIT 1`)
	if err != nil {
		return nil, fmt.Errorf("put articles: prepare: %w", err)
	}
	defer find.Close()
	ins, err := tx.PrepareContext(ctx, `INSERT INTO articles
		(id, url, canonical_url, title, byline, published, sort_time, lang, text, source, license, feed_id, content_hash, fetched, analysis, story_id)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return nil, fmt.Errorf("put articles: prepare: %w", err)
	}
	defer ins.Close()
	if err := store.CheckNormalised(arts); err != nil {
		return nil, fmt.Errorf("put articles: %w", err)
	}
	now := d.now().UTC()
	out = make([]store.PutOutcome, len(arts))
	for i := range arts {
		a := &arts[i]
		var existing string
		err := find.QueryRowContext(ctx, nullString(a.CanonicalURL), a.ContentHash, a.ID).Scan(&existing)
		switch {
		case err == nil:
			out[i] = store.PutOutcome{ID: a.ID, Status: store.Duplicate, DuplicateOf: existing}
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("put articles: look up %s: %w", a.ID, err)
		}
		rec, err := store.NewArticleRecord(a, now)
		if err != nil {
			return nil, fmt.Errorf("put articles: %w", err)
		}
		var analysis sql.NullString
		if rec.Analysis != nil {
			analysis = sql.NullString{String: string(rec.Analysis), Valid: true}
		}
		var feedID sql.NullInt64
		if a.FeedID != 0 {
			feedID = sql.NullInt64{Int64: a.FeedID, Valid: true}
		}
		if _, err := ins.ExecContext(ctx, a.ID, a.URL, nullString(a.CanonicalURL), a.Title, a.Byline,
			nullUnix(a.Published), rec.SortTime.Unix(), a.Lang, a.Text, a.Source, a.License, feedID,
			a.ContentHash, a.Fetched.Unix(), analysis, nullString(rec.StoryID)); err != nil {
			return nil, fmt.Errorf("put articles: insert %s: %w", a.ID, err)
		}
		out[i] = store.PutOutcome{ID: a.ID, Status: store.New}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("put articles: commit: %w", err)
	}
	return out, nil
}

const articleCols = `a.seq, a.id, a.url, a.canonical_url, a.title, a.byline, a.published, a.sort_time, a.lang, a.text, a.source, a.license, a.feed_id, a.content_hash, a.fetched, a.analysis, a.story_id, a.dup_of`

type rowScanner interface{ Scan(...any) error }

func scanArticle(r rowScanner) (article.Article, int64, int64, error) {
	var (
		a                      article.Article
		seq, sortTime, fetched int64
		canon, analysis        sql.NullString
		storyID, dupOf         sql.NullString
		published, feedID      sql.NullInt64
	)
	if err := r.Scan(&seq, &a.ID, &a.URL, &canon, &a.Title, &a.Byline, &published, &sortTime, &a.Lang, &a.Text,
		&a.Source, &a.License, &feedID, &a.ContentHash, &fetched, &analysis, &storyID, &dupOf); err != nil {
		return a, 0, 0, err
	}
	a.CanonicalURL = canon.String
	a.Published = unixOrZero(published)
	a.FeedID = feedID.Int64
	a.Fetched = time.Unix(fetched, 0).UTC()
	if err := store.SetAnalysis(&a, []byte(analysis.String), stringPtr(storyID), stringPtr(dupOf)); err != nil {
		return a, 0, 0, err
	}
	return a, seq, sortTime, nil
}

// scanArticles reads the article of the current row of rows at each call.
func scanArticles(rows *sql.Rows) store.ArticleScan {
	return func() (article.Article, int64, int64, error) { return scanArticle(rows) }
}

// KnownURLs reports which canonical URLs are stored.
func (d *DB) KnownURLs(ctx context.Context, canonicalURLs []string) (map[string]bool, error) {
	known := make(map[string]bool)
	const chunk = 200
	for i := 0; i < len(canonicalURLs); i += chunk {
		part := canonicalURLs[i:min(i+chunk, len(canonicalURLs))]
		args := make([]any, len(part))
		for j, u := range part {
			args[j] = u
		}
		rows, err := d.db.QueryContext(ctx, `SELECT canonical_url FROM articles WHERE canonical_url IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("known urls: %w", err)
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return nil, fmt.Errorf("known urls: %w", err)
			}
			known[u] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("known urls: %w", err)
		}
	}
	return known, nil
}

// Article returns one article by ID.
func (d *DB) Article(ctx context.Context, id string) (*article.Article, error) {
	a, _, _, err := scanArticle(d.db.QueryRowContext(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("article %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	return &a, nil
}

// Articles lists or searches articles.
func (d *DB) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	p, err := store.NewArticlePager(q, FTSQuery)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("articles: %w", err)
	}
	var (
		where []string
		args  []any
		query string
	)
	if !q.Since.IsZero() {
		where = append(where, "a.sort_time >= ?")
		args = append(args, q.Since.Unix())
	}
	if p.NoMatch() {
		return store.ArticlePage{Articles: []article.Article{}}, nil
	}
	if p.Search != "" {
		where = append(where, "articles_fts MATCH ?")
		args = append(args, p.Search)
		query = `SELECT ` + articleCols + ` FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid WHERE ` +
			strings.Join(where, " AND ") + ` ORDER BY bm25(articles_fts, 5.0, 1.0), a.seq DESC LIMIT ? OFFSET ?`
		args = append(args, p.Limit+1, p.Cursor.Off)
	} else {
		if p.Cursor.S != 0 {
			where = append(where, "(a.sort_time < ? OR (a.sort_time = ? AND a.seq < ?))")
			args = append(args, p.Cursor.T, p.Cursor.T, p.Cursor.S)
		}
		w := ""
		if len(where) > 0 {
			w = " WHERE " + strings.Join(where, " AND ")
		}
		query = `SELECT ` + articleCols + ` FROM articles a` + w + ` ORDER BY a.sort_time DESC, a.seq DESC LIMIT ?`
		args = append(args, p.Limit+1)
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("articles: query: %w", err)
	}
	defer rows.Close()
	return p.Read(rows, scanArticles(rows))
}

// FTSQuery turns what a user types (see store.ParseQuery) into a safe FTS5
// query: every word must match, as a prefix when it ends in '*', and
// "quoted phrases" stay phrases. Each word or phrase is one FTS5 string, so
// FTS operators in the input are only words.
func FTSQuery(s string) string {
	return store.RenderQuery(s, " ", func(t store.QueryTerm) string {
		if t.Prefix {
			return `"` + t.Words[0] + `"*`
		}
		return `"` + strings.Join(t.Words, " ") + `"`
	})
}
