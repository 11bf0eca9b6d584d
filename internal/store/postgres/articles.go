package postgres

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
)

// articleLocks is the first key of the transaction advisory locks PutArticles
// takes on the dedupe keys of a batch ("vant").
const articleLocks int32 = 0x76616e74

// PutArticles stores a batch in one transaction, skipping duplicates.
//
// Instances writing at the same time stay correct: the transaction first
// takes advisory locks on the hashes of every canonical URL, content hash and
// ID of the batch, in ascending order (so two batches sharing keys queue
// instead of deadlocking), then looks the keys up, decides in Go, and inserts
// the new articles with ON CONFLICT DO NOTHING. A conflict that slips past the
// locks (a writer that does not take them) reruns the transaction, whose
// lookup then sees the other row.
func (d *DB) PutArticles(ctx context.Context, arts []article.Article) ([]store.PutOutcome, error) {
	if len(arts) == 0 {
		return nil, nil
	}
	if err := store.CheckNormalised(arts); err != nil {
		return nil, fmt.Errorf("put articles: %w", err)
	}
	now := d.now().UTC()
	rows := articleRows{}
	for i := range arts {
		if err := rows.add(&arts[i], now); err != nil {
			return nil, fmt.Errorf("put articles: %w", err)
		}
	}
	var out []store.PutOutcome
	err := d.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = putArticles(ctx, tx, arts, &rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("put articles: %w", err)
	}
	return out, nil
}

func putArticles(ctx context.Context, tx pgx.Tx, arts []article.Article, rows *articleRows) ([]store.PutOutcome, error) {
	var urls, hashes, ids []string
	for i := range arts {
		if arts[i].CanonicalURL != "" {
			urls = append(urls, arts[i].CanonicalURL)
		}
		hashes = append(hashes, arts[i].ContentHash)
		ids = append(ids, arts[i].ID)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::integer[]) AS k`,
		articleLocks, lockKeys(urls, hashes, ids)); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	byURL, byHash, byID := map[string]string{}, map[string]string{}, map[string]string{}
	// Three index lookups rather than one OR, which the planner may turn into
	// a sequential scan when the table's statistics are stale.
	found, err := tx.Query(ctx, `SELECT id, canonical_url, content_hash FROM articles WHERE canonical_url = ANY($1)
		UNION ALL SELECT id, canonical_url, content_hash FROM articles WHERE content_hash = ANY($2)
		UNION ALL SELECT id, canonical_url, content_hash FROM articles WHERE id = ANY($3)`, urls, hashes, ids)
	if err != nil {
		return nil, fmt.Errorf("look up: %w", err)
	}
	var id, hash string
	var url *string
	_, err = pgx.ForEachRow(found, []any{&id, &url, &hash}, func() error {
		if url != nil {
			byURL[*url] = id
		}
		byHash[hash], byID[id] = id, id
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up: %w", err)
	}
	out := make([]store.PutOutcome, len(arts))
	var insert []int
	for i := range arts {
		a := &arts[i]
		existing := ""
		if a.CanonicalURL != "" {
			existing = byURL[a.CanonicalURL]
		}
		if existing == "" {
			existing = byHash[a.ContentHash]
		}
		if existing == "" {
			existing = byID[a.ID]
		}
		if existing != "" {
			out[i] = store.PutOutcome{ID: a.ID, Status: store.Duplicate, DuplicateOf: existing}
			continue
		}
		out[i] = store.PutOutcome{ID: a.ID, Status: store.New}
		if a.CanonicalURL != "" {
			byURL[a.CanonicalURL] = a.ID
		}
		byHash[a.ContentHash], byID[a.ID] = a.ID, a.ID
		insert = append(insert, i)
	}
	if len(insert) == 0 {
		return out, nil
	}
	r := rows.pick(insert)
	tag, err := tx.Exec(ctx, `INSERT INTO articles
		(id, url, canonical_url, title, byline, published, sort_time, lang, text, source, license, feed_id, content_hash, fetched, analysis, story_id)
		SELECT id, url, canonical_url, title, byline, published, sort_time, lang, text, source, license, feed_id, content_hash, fetched, analysis::jsonb, story_id
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[],
			$9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[], $14::timestamptz[], $15::text[], $16::text[])
			WITH ORDINALITY AS t(id, url, canonical_url, title, byline, published, sort_time, lang, text, source, license, feed_id,
			content_hash, fetched, analysis, story_id, ord)
		ORDER BY ord
		ON CONFLICT DO NOTHING`,
		r.id, r.url, r.canonicalURL, r.title, r.byline, r.published, r.sortTime, r.lang, r.text, r.source, r.license, r.feedID,
		r.contentHash, r.fetched, r.analysis, r.storyID)
	if err != nil {
		return nil, fmt.Errorf("insert: %w", err)
	}
	if tag.RowsAffected() != int64(len(insert)) {
		return nil, errRetry
	}
	return out, nil
}

// lockKeys hashes the dedupe keys of a batch to sorted, distinct lock keys.
func lockKeys(lists ...[]string) []int32 {
	var keys []int32
	h := fnv.New32a()
	for kind, list := range lists {
		for _, s := range list {
			h.Reset()
			h.Write([]byte{byte(kind)})
			h.Write([]byte(s))
			keys = append(keys, int32(h.Sum32()))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// articleRows are the columns of a batch, for one INSERT ... FROM unnest.
type articleRows struct {
	id, url, title, byline, lang, text, source, license, contentHash []string
	canonicalURL, analysis, storyID                                  []*string
	published                                                        []*time.Time
	sortTime, fetched                                                []time.Time
	feedID                                                           []*int64
}

func (r *articleRows) add(a *article.Article, now time.Time) error {
	rec, err := store.NewArticleRecord(a, now)
	if err != nil {
		return err
	}
	var analysis *string
	if rec.Analysis != nil {
		s := string(jsonbSafe(rec.Analysis))
		analysis = &s
	}
	var feedID *int64
	if a.FeedID != 0 {
		feedID = &a.FeedID
	}
	r.id = append(r.id, clean(a.ID))
	r.url = append(r.url, clean(a.URL))
	r.canonicalURL = append(r.canonicalURL, stringOrNil(a.CanonicalURL))
	r.title = append(r.title, clean(a.Title))
	r.byline = append(r.byline, clean(a.Byline))
	r.published = append(r.published, timeOrNil(a.Published))
	r.sortTime = append(r.sortTime, sec(rec.SortTime))
	r.lang = append(r.lang, clean(a.Lang))
	r.text = append(r.text, clean(a.Text))
	r.source = append(r.source, clean(a.Source))
	r.license = append(r.license, clean(a.License))
	r.feedID = append(r.feedID, feedID)
	r.contentHash = append(r.contentHash, clean(a.ContentHash))
	r.fetched = append(r.fetched, sec(a.Fetched))
	r.analysis = append(r.analysis, analysis)
	r.storyID = append(r.storyID, stringOrNil(rec.StoryID))
	return nil
}

// pick returns the rows at the given indexes.
func (r *articleRows) pick(idx []int) *articleRows {
	if len(idx) == len(r.id) {
		return r
	}
	p := &articleRows{}
	for _, i := range idx {
		p.id = append(p.id, r.id[i])
		p.url = append(p.url, r.url[i])
		p.canonicalURL = append(p.canonicalURL, r.canonicalURL[i])
		p.title = append(p.title, r.title[i])
		p.byline = append(p.byline, r.byline[i])
		p.published = append(p.published, r.published[i])
		p.sortTime = append(p.sortTime, r.sortTime[i])
		p.lang = append(p.lang, r.lang[i])
		p.text = append(p.text, r.text[i])
		p.source = append(p.source, r.source[i])
		p.license = append(p.license, r.license[i])
		p.feedID = append(p.feedID, r.feedID[i])
		p.contentHash = append(p.contentHash, r.contentHash[i])
		p.fetched = append(p.fetched, r.fetched[i])
		p.analysis = append(p.analysis, r.analysis[i])
		p.storyID = append(p.storyID, r.storyID[i])
	}
	return p
}

const articleCols = `a.seq, a.id, a.url, a.canonical_url, a.title, a.byline, a.published, a.sort_time, a.lang, a.text,
	a.source, a.license, a.feed_id, a.content_hash, a.fetched, a.analysis, a.story_id, a.dup_of`

// scanArticle reads the articleCols of one row, with its seq and sort time.
func scanArticle(r pgx.Row) (article.Article, int64, time.Time, error) {
	var (
		a                   article.Article
		seq                 int64
		sortTime, fetched   time.Time
		canon, story, dupOf *string
		published           *time.Time
		feedID              *int64
		analysis            []byte
	)
	if err := r.Scan(&seq, &a.ID, &a.URL, &canon, &a.Title, &a.Byline, &published, &sortTime, &a.Lang, &a.Text,
		&a.Source, &a.License, &feedID, &a.ContentHash, &fetched, &analysis, &story, &dupOf); err != nil {
		return a, 0, time.Time{}, err
	}
	if canon != nil {
		a.CanonicalURL = *canon
	}
	a.Published = utc(published)
	if feedID != nil {
		a.FeedID = *feedID
	}
	a.Fetched = fetched.UTC()
	if err := store.SetAnalysis(&a, analysis, story, dupOf); err != nil {
		return a, 0, time.Time{}, err
	}
	return a, seq, sortTime, nil
}

// scanArticles reads the article of the current row of rows at each call,
// with its sort time in unix seconds.
func scanArticles(rows pgx.Rows) store.ArticleScan {
	return func() (article.Article, int64, int64, error) {
		a, seq, sortTime, err := scanArticle(rows)
		return a, seq, sortTime.Unix(), err
	}
}

// KnownURLs reports which canonical URLs are stored.
func (d *DB) KnownURLs(ctx context.Context, canonicalURLs []string) (map[string]bool, error) {
	known := make(map[string]bool)
	if len(canonicalURLs) == 0 {
		return known, nil
	}
	rows, err := d.pool.Query(ctx, `SELECT canonical_url FROM articles WHERE canonical_url = ANY($1)`, canonicalURLs)
	if err != nil {
		return nil, fmt.Errorf("known urls: %w", err)
	}
	var u string
	if _, err := pgx.ForEachRow(rows, []any{&u}, func() error { known[u] = true; return nil }); err != nil {
		return nil, fmt.Errorf("known urls: %w", err)
	}
	return known, nil
}

// Article returns one article by ID.
func (d *DB) Article(ctx context.Context, id string) (*article.Article, error) {
	a, _, _, err := scanArticle(d.pool.QueryRow(ctx, `SELECT `+articleCols+` FROM articles a WHERE a.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("article %s: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	return &a, nil
}

// storableUnix reports whether unix seconds t are a time PostgreSQL can hold
// (years 1 to 9999 here), so a forged cursor is ErrCursor, not a server error.
func storableUnix(t int64) bool { return t >= -62135596800 && t < 253402300800 }

// Articles lists articles newest first, or searches them by relevance.
func (d *DB) Articles(ctx context.Context, q store.ArticleQuery) (store.ArticlePage, error) {
	p, err := store.NewArticlePager(q, TSQuery)
	if err != nil || p.Cursor.Off < 0 || !storableUnix(p.Cursor.T) {
		return store.ArticlePage{}, fmt.Errorf("articles: %w", store.ErrCursor)
	}
	var (
		where []string
		args  []any
		query string
	)
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !q.Since.IsZero() {
		where = append(where, "a.sort_time >= "+arg(sec(q.Since)))
	}
	if p.NoMatch() {
		return store.ArticlePage{Articles: []article.Article{}}, nil
	}
	if p.Search != "" {
		where = append(where, "a.search @@ query")
		query = `SELECT ` + articleCols + ` FROM articles a, to_tsquery('vantage_text', ` + arg(p.Search) + `) query WHERE ` +
			strings.Join(where, " AND ") + ` ORDER BY ts_rank_cd(a.search, query) DESC, a.seq DESC LIMIT ` +
			arg(p.Limit+1) + ` OFFSET ` + arg(p.Cursor.Off)
	} else {
		if p.Cursor.S != 0 {
			where = append(where, "(a.sort_time, a.seq) < ("+arg(time.Unix(p.Cursor.T, 0).UTC())+", "+arg(p.Cursor.S)+")")
		}
		w := ""
		if len(where) > 0 {
			w = " WHERE " + strings.Join(where, " AND ")
		}
		query = `SELECT ` + articleCols + ` FROM articles a` + w + ` ORDER BY a.sort_time DESC, a.seq DESC LIMIT ` + arg(p.Limit+1)
	}
	rows, err := d.pool.Query(ctx, query, args...)
	if err != nil {
		return store.ArticlePage{}, fmt.Errorf("articles: query: %w", err)
	}
	defer rows.Close()
	return p.Read(rows, scanArticles(rows))
}

// TSQuery turns what a user types (see store.ParseQuery) into a safe
// to_tsquery argument: every word must match, as a prefix when it ends in
// '*', and "quoted phrases" stay phrases. Only letters and digits reach the
// result, each word inside single quotes, so nothing the user types is read
// as tsquery syntax. ("" when no word is left.)
//
// It is built by hand rather than with websearch_to_tsquery because that
// function has no prefix search, which the SQLite store offers ("elect*").
func TSQuery(s string) string {
	return store.RenderQuery(s, " & ", func(t store.QueryTerm) string {
		lexemes := make([]string, len(t.Words))
		for i, w := range t.Words {
			lexemes[i] = "'" + w + "'"
		}
		switch {
		case t.Phrase:
			return "(" + strings.Join(lexemes, " <-> ") + ")"
		case t.Prefix:
			return lexemes[0] + ":*"
		}
		return lexemes[0]
	})
}
