package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

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
	now := d.now().UTC()
	out = make([]store.PutOutcome, len(arts))
	for i := range arts {
		a := &arts[i]
		if a.ID == "" || a.ContentHash == "" {
			return nil, fmt.Errorf("put articles: article %d is not normalised (no ID or content hash)", i)
		}
		var existing string
		err := find.QueryRowContext(ctx, nullString(a.CanonicalURL), a.ContentHash, a.ID).Scan(&existing)
		switch {
		case err == nil:
			out[i] = store.PutOutcome{ID: a.ID, Status: store.Duplicate, DuplicateOf: existing}
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("put articles: look up %s: %w", a.ID, err)
		}
		if a.Fetched.IsZero() {
			a.Fetched = now
		}
		sortTime := a.Published
		if sortTime.IsZero() {
			sortTime = a.Fetched
		}
		var analysis sql.NullString
		var story sql.NullString
		if a.Analysis != nil {
			b, err := json.Marshal(a.Analysis)
			if err != nil {
				return nil, fmt.Errorf("put articles: encode analysis of %s: %w", a.ID, err)
			}
			analysis = sql.NullString{String: string(b), Valid: true}
			story = nullString(a.Analysis.StoryID)
		}
		var feedID sql.NullInt64
		if a.FeedID != 0 {
			feedID = sql.NullInt64{Int64: a.FeedID, Valid: true}
		}
		if _, err := ins.ExecContext(ctx, a.ID, a.URL, nullString(a.CanonicalURL), a.Title, a.Byline,
			nullUnix(a.Published), sortTime.Unix(), a.Lang, a.Text, a.Source, a.License, feedID,
			a.ContentHash, a.Fetched.Unix(), analysis, story); err != nil {
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
	if analysis.Valid && analysis.String != "" {
		a.Analysis = new(article.Analysis)
		if err := json.Unmarshal([]byte(analysis.String), a.Analysis); err != nil {
			return a, 0, 0, fmt.Errorf("decode analysis of %s: %w", a.ID, err)
		}
	}
	if storyID.Valid || dupOf.Valid {
		if a.Analysis == nil {
			a.Analysis = new(article.Analysis)
		}
		a.Analysis.StoryID, a.Analysis.DupOf = storyID.String, dupOf.String
	}
	return a, seq, sortTime, nil
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

// cursor is the opaque position of a page: keyset (sort time, seq) for listings,
// an offset for relevance-ranked search.
type cursor struct {
	T   int64  `json:"t,omitempty"`
	S   int64  `json:"s,omitempty"`
	Off int    `json:"o,omitempty"`
	Q   string `json:"q,omitempty"` // the query the cursor belongs to
}

func (c cursor) encode() string { return encodeJSONCursor(c) }

func decodeCursor(s string) (cursor, error) {
	var c cursor
	err := decodeJSONCursor(s, &c)
	return c, err
}

// encodeJSONCursor and decodeJSONCursor make opaque page cursors of small
// structs (base64url of their JSON).
func encodeJSONCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeJSONCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.ErrCursor
	}
	if err := json.Unmarshal(b, v); err != nil {
		return store.ErrCursor
	}
	return nil
}

// Articles lists or searches articles.
func (d *DB) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	limit := store.ClampLimit(q.Limit)
	var cur cursor
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil || c.Q != q.Q {
			return store.ArticlePage{}, fmt.Errorf("articles: %w", store.ErrCursor)
		}
		cur = c
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
	fts := FTSQuery(q.Q)
	if q.Q != "" && fts == "" {
		return store.ArticlePage{Articles: []article.Article{}}, nil
	}
	if fts != "" {
		where = append(where, "articles_fts MATCH ?")
		args = append(args, fts)
		query = `SELECT ` + articleCols + ` FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid WHERE ` +
			strings.Join(where, " AND ") + ` ORDER BY bm25(articles_fts, 5.0, 1.0), a.seq DESC LIMIT ? OFFSET ?`
		args = append(args, limit+1, cur.Off)
	} else {
		if cur.S != 0 {
			where = append(where, "(a.sort_time < ? OR (a.sort_time = ? AND a.seq < ?))")
			args = append(args, cur.T, cur.T, cur.S)
		}
		w := ""
		if len(where) > 0 {
			w = " WHERE " + strings.Join(where, " AND ")
		}
		query = `SELECT ` + articleCols + ` FROM articles a` + w + ` ORDER BY a.sort_time DESC, a.seq DESC LIMIT ?`
		args = append(args, limit+1)
	}
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("articles: query: %w", err)
	}
	defer rows.Close()
	page := store.ArticlePage{Articles: []article.Article{}}
	var lastSeq, lastSort int64
	for rows.Next() {
		a, seq, sortTime, err := scanArticle(rows)
		if err != nil {
			return store.ArticlePage{}, fmt.Errorf("articles: scan: %w", err)
		}
		if len(page.Articles) == limit {
			if fts != "" {
				page.Next = cursor{Off: cur.Off + limit, Q: q.Q}.encode()
			} else {
				page.Next = cursor{T: lastSort, S: lastSeq, Q: q.Q}.encode()
			}
			break
		}
		page.Articles = append(page.Articles, a)
		lastSeq, lastSort = seq, sortTime
	}
	if err := rows.Err(); err != nil {
		return store.ArticlePage{}, fmt.Errorf("articles: %w", err)
	}
	return page, nil
}

// FTSQuery turns what a user types into a safe FTS5 query: every word must
// match (as a prefix when it ends in '*'), "quoted phrases" stay phrases, and FTS
// operators in the input are treated as words.
func FTSQuery(s string) string {
	var parts []string
	for len(s) > 0 {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			var phrase string
			if end < 0 {
				phrase, s = s[1:], ""
			} else {
				phrase, s = s[1:end+1], s[end+2:]
			}
			if w := ftsWords(phrase); w != "" {
				parts = append(parts, `"`+w+`"`)
			}
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		var word string
		if end < 0 {
			word, s = s, ""
		} else {
			word, s = s[:end], s[end:]
		}
		prefix := strings.HasSuffix(word, "*")
		w := ftsWords(word)
		if w == "" {
			continue
		}
		for _, t := range strings.Fields(w) {
			parts = append(parts, `"`+t+`"`)
		}
		if prefix {
			parts[len(parts)-1] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// ftsWords keeps letters and digits, turning everything else into spaces.
func ftsWords(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}
