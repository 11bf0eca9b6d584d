package store

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vantage-news/vantage/internal/article"
)

// Rows is what a backend's query result offers the shared readers below
// (*sql.Rows and pgx.Rows both do); the backend scans and closes it.
type Rows interface {
	Next() bool
	Err() error
}

// ArticlePager pages the articles of one ArticleQuery.
type ArticlePager struct {
	Query  ArticleQuery
	Limit  int           // ClampLimit(Query.Limit)
	Cursor ArticleCursor // where the page starts (zero: the first page)
	// Search is Query.Q in the backend's query syntax, "" when there is
	// none. A search page is ranked by relevance and moves by Cursor.Off; a
	// listing moves by keyset, from Cursor.T and Cursor.S when Cursor.S is set.
	Search string
}

// NewArticlePager applies the limit of q, decodes its cursor (ErrCursor
// when it is not one, or belongs to another query) and renders its search
// with the backend's render (FTSQuery, TSQuery).
func NewArticlePager(q ArticleQuery, render func(string) string) (ArticlePager, error) {
	p := ArticlePager{Query: q, Limit: ClampLimit(q.Limit)}
	if q.Cursor != "" {
		if err := DecodeCursor(q.Cursor, &p.Cursor); err != nil || p.Cursor.Q != q.Q {
			return ArticlePager{}, ErrCursor
		}
	}
	if q.Q != "" {
		p.Search = render(q.Q)
	}
	return p, nil
}

// NoMatch reports a search with no word left to look for: its page is
// empty, and the backend need not ask the database.
func (p ArticlePager) NoMatch() bool { return p.Query.Q != "" && p.Search == "" }

// ArticleScan reads the article of a row with its seq and sort time (unix
// seconds).
type ArticleScan func() (a article.Article, seq, sortTime int64, err error)

// Read makes the page of rows that hold up to Limit+1 articles. Errors
// begin "articles:".
func (p ArticlePager) Read(rows Rows, scan ArticleScan) (ArticlePage, error) {
	type pos struct{ seq, sortTime int64 }
	arts, last, more, err := readPage(rows, p.Limit, func() (article.Article, pos, error) {
		a, seq, sortTime, err := scan()
		return a, pos{seq, sortTime}, err
	})
	if err != nil {
		return ArticlePage{}, fmt.Errorf("articles: %w", err)
	}
	page := ArticlePage{Articles: arts}
	switch {
	case !more:
	case p.Search != "":
		page.Next = ArticleCursor{Off: p.Cursor.Off + p.Limit, Q: p.Query.Q}.Encode()
	default:
		page.Next = ArticleCursor{T: last.sortTime, S: last.seq, Q: p.Query.Q}.Encode()
	}
	return page, nil
}

// StoryPager pages the stories of one StoryQuery.
type StoryPager struct {
	Query StoryQuery
	Limit int          // ClampLimit(Query.Limit)
	After *StoryCursor // the page starts after this story (nil: the first page)
}

// NewStoryPager applies the limit of q and decodes its cursor (ErrCursor
// when it is not one).
func NewStoryPager(q StoryQuery) (StoryPager, error) {
	p := StoryPager{Query: q, Limit: ClampLimit(q.Limit)}
	if q.Cursor != "" {
		p.After = new(StoryCursor)
		if err := DecodeCursor(q.Cursor, p.After); err != nil {
			return StoryPager{}, err
		}
	}
	return p, nil
}

// Countries are the country filter's ISO2 codes in upper case, as stored.
func (p StoryPager) Countries() []string {
	cs := make([]string, len(p.Query.Countries))
	for i, c := range p.Query.Countries {
		cs[i] = strings.ToUpper(c)
	}
	return cs
}

// Read makes the page of rows that hold up to Limit+1 stories; scan reads
// the current row's story ID, LastSeen (unix seconds) and JSON record.
// Errors begin "stories:".
func (p StoryPager) Read(rows Rows, scan func() (id string, lastSeen int64, data []byte, err error)) (StoryPage, error) {
	type record struct {
		at   StoryCursor
		data []byte
	}
	recs, last, more, err := readPage(rows, p.Limit, func() (record, StoryCursor, error) {
		id, t, data, err := scan()
		at := StoryCursor{T: t, ID: id}
		return record{at, data}, at, err
	})
	if err != nil {
		return StoryPage{}, fmt.Errorf("stories: %w", err)
	}
	page := StoryPage{Stories: make([]article.Story, len(recs))}
	for i, r := range recs {
		if err := json.Unmarshal(r.data, &page.Stories[i]); err != nil {
			return StoryPage{}, fmt.Errorf("stories: decode %s: %w", r.at.ID, err)
		}
	}
	if more {
		page.Next = last.Encode()
	}
	return page, nil
}

// readPage reads the items of one page from rows that hold up to limit+1:
// the first limit, the position of the last of them, and whether another
// follows. Every row is scanned, the one after the page too; scan errors
// are wrapped "scan: ". items is never nil.
func readPage[T, P any](rows Rows, limit int, scan func() (T, P, error)) (items []T, last P, more bool, err error) {
	items = []T{}
	for rows.Next() {
		item, pos, err := scan()
		if err != nil {
			return nil, last, false, fmt.Errorf("scan: %w", err)
		}
		if len(items) == limit {
			return items, last, true, nil
		}
		items = append(items, item)
		last = pos
	}
	return items, last, false, rows.Err()
}

// ReplayRows calls fn for the article of every row, which scan reads.
// Errors of fn come back as they are; others begin "replay:".
func ReplayRows(rows Rows, scan ArticleScan, fn func(*article.Article) error) error {
	for rows.Next() {
		a, _, _, err := scan()
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
