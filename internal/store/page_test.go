package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/store"
)

// fakeRows serves n rows; scanning row bad (1-based) fails, and Err
// returns err after the last.
type fakeRows struct {
	n, i, bad int
	err       error
}

func (r *fakeRows) Next() bool { r.i++; return r.i <= r.n }
func (r *fakeRows) Err() error { return r.err }

var errScan = errors.New("scan failed")

// scan reads article "a<i>" with seq 100-i and sort time 1000-i.
func (r *fakeRows) scan() (article.Article, int64, int64, error) {
	if r.i == r.bad {
		return article.Article{}, 0, 0, errScan
	}
	return article.Article{ID: "a" + string(rune('0'+r.i))}, int64(100 - r.i), int64(1000 - r.i), nil
}

func ids(arts []article.Article) string {
	var s []string
	for _, a := range arts {
		s = append(s, a.ID)
	}
	return strings.Join(s, ",")
}

func TestNewArticlePager(t *testing.T) {
	render := func(s string) string { return "<" + strings.Join(strings.Fields(s), "+") + ">" }
	ranked := store.ArticleCursor{Off: 20, Q: "iran"}.Encode()
	tests := []struct {
		q       store.ArticleQuery
		limit   int
		cur     store.ArticleCursor
		search  string
		noMatch bool
		err     error
	}{
		{q: store.ArticleQuery{}, limit: 20},
		{q: store.ArticleQuery{Limit: 900}, limit: 500},
		{q: store.ArticleQuery{Limit: 7, Q: "iran  iraq"}, limit: 7, search: "<iran+iraq>"},
		{q: store.ArticleQuery{Q: "iran", Cursor: ranked}, limit: 20, cur: store.ArticleCursor{Off: 20, Q: "iran"}, search: "<iran>"},
		{q: store.ArticleQuery{Q: "iraq", Cursor: ranked}, err: store.ErrCursor}, // another query's cursor
		{q: store.ArticleQuery{Cursor: "garbage!"}, err: store.ErrCursor},
		{q: store.ArticleQuery{Q: "   "}, limit: 20, search: "<>"},
	}
	for _, tt := range tests {
		p, err := store.NewArticlePager(tt.q, render)
		if !errors.Is(err, tt.err) {
			t.Errorf("%+v: err = %v, want %v", tt.q, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if p.Limit != tt.limit || p.Cursor != tt.cur || p.Search != tt.search || p.NoMatch() != tt.noMatch {
			t.Errorf("%+v: pager %+v (no match %v), want limit %d cursor %+v search %q", tt.q, p, p.NoMatch(), tt.limit, tt.cur, tt.search)
		}
	}
	p, _ := store.NewArticlePager(store.ArticleQuery{Q: "***"}, func(string) string { return "" })
	if !p.NoMatch() {
		t.Errorf("a query rendered empty should match nothing")
	}
}

func TestArticlePagerRead(t *testing.T) {
	tests := []struct {
		name   string
		pager  store.ArticlePager
		rows   fakeRows
		ids    string
		next   *store.ArticleCursor
		errMsg string
	}{
		{name: "empty", pager: store.ArticlePager{Limit: 2}, ids: ""},
		{name: "short", pager: store.ArticlePager{Limit: 2}, rows: fakeRows{n: 1}, ids: "a1"},
		{name: "exact", pager: store.ArticlePager{Limit: 2}, rows: fakeRows{n: 2}, ids: "a1,a2"},
		{name: "keyset", pager: store.ArticlePager{Limit: 2, Query: store.ArticleQuery{Q: "q"}}, rows: fakeRows{n: 3},
			ids: "a1,a2", next: &store.ArticleCursor{T: 998, S: 98, Q: "q"}},
		{name: "ranked", pager: store.ArticlePager{Limit: 2, Query: store.ArticleQuery{Q: "q"}, Search: "'q'", Cursor: store.ArticleCursor{Off: 4, Q: "q"}},
			rows: fakeRows{n: 3}, ids: "a1,a2", next: &store.ArticleCursor{Off: 6, Q: "q"}},
		{name: "scan error", pager: store.ArticlePager{Limit: 2}, rows: fakeRows{n: 3, bad: 2}, errMsg: "articles: scan: scan failed"},
		{name: "scan error after the page", pager: store.ArticlePager{Limit: 2}, rows: fakeRows{n: 3, bad: 3}, errMsg: "articles: scan: scan failed"},
		{name: "rows error", pager: store.ArticlePager{Limit: 2}, rows: fakeRows{n: 1, err: errors.New("gone")}, errMsg: "articles: gone"},
	}
	for _, tt := range tests {
		page, err := tt.pager.Read(&tt.rows, tt.rows.scan)
		if tt.errMsg != "" {
			if err == nil || err.Error() != tt.errMsg {
				t.Errorf("%s: err = %v, want %q", tt.name, err, tt.errMsg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if page.Articles == nil || ids(page.Articles) != tt.ids {
			t.Errorf("%s: articles %q (nil %v), want %q", tt.name, ids(page.Articles), page.Articles == nil, tt.ids)
		}
		var next store.ArticleCursor
		switch {
		case tt.next == nil && page.Next != "":
			t.Errorf("%s: next %q, want none", tt.name, page.Next)
		case tt.next != nil && (store.DecodeCursor(page.Next, &next) != nil || next != *tt.next):
			t.Errorf("%s: next %+v, want %+v", tt.name, next, *tt.next)
		}
	}
}

// storyRows serves stories s1..sN with LastSeen 50-i; row bad holds
// invalid JSON.
type storyRows struct{ fakeRows }

func (r *storyRows) scan() (string, int64, []byte, error) {
	id := "s" + string(rune('0'+r.i))
	if r.i == r.bad {
		return id, 0, []byte("{"), nil
	}
	return id, int64(50 - r.i), []byte(`{"id":"` + id + `","headline":"H` + id + `"}`), nil
}

func TestStoryPager(t *testing.T) {
	if _, err := store.NewStoryPager(store.StoryQuery{Cursor: "not a cursor!"}); !errors.Is(err, store.ErrCursor) {
		t.Errorf("bad cursor: err = %v, want ErrCursor", err)
	}
	p, err := store.NewStoryPager(store.StoryQuery{Countries: []string{"iq", "IR", "Sy"}})
	if err != nil || p.After != nil || p.Limit != 20 {
		t.Fatalf("first page: %+v, %v", p, err)
	}
	if got := p.Countries(); !slices.Equal(got, []string{"IQ", "IR", "SY"}) {
		t.Errorf("countries %v", got)
	}
	after := store.StoryCursor{T: 45, ID: "s5"}
	p, err = store.NewStoryPager(store.StoryQuery{Limit: 2, Cursor: after.Encode()})
	if err != nil || p.After == nil || *p.After != after || p.Limit != 2 {
		t.Fatalf("next page: %+v, %v", p, err)
	}

	rows := &storyRows{fakeRows{n: 3}}
	page, err := p.Read(rows, rows.scan)
	var next store.StoryCursor
	if err != nil || len(page.Stories) != 2 || page.Stories[1].Headline != "Hs2" ||
		store.DecodeCursor(page.Next, &next) != nil || next != (store.StoryCursor{T: 48, ID: "s2"}) {
		t.Errorf("page %+v, next %+v, %v", page, next, err)
	}
	rows = &storyRows{fakeRows{n: 3, bad: 3}} // the row after the page is not decoded
	if page, err := p.Read(rows, rows.scan); err != nil || len(page.Stories) != 2 {
		t.Errorf("bad record after the page: %+v, %v", page, err)
	}
	rows = &storyRows{fakeRows{n: 3, bad: 2}}
	if _, err := p.Read(rows, rows.scan); err == nil || !strings.HasPrefix(err.Error(), "stories: decode s2: ") {
		t.Errorf("bad record: err = %v", err)
	}
	rows = &storyRows{}
	if page, err := p.Read(rows, rows.scan); err != nil || page.Stories == nil || len(page.Stories) != 0 || page.Next != "" {
		t.Errorf("no rows: %+v, %v", page, err)
	}
}

func TestReplayRows(t *testing.T) {
	rows := &fakeRows{n: 3}
	var got []string
	if err := store.ReplayRows(rows, rows.scan, func(a *article.Article) error { got = append(got, a.ID); return nil }); err != nil || strings.Join(got, ",") != "a1,a2,a3" {
		t.Errorf("replayed %v, %v", got, err)
	}
	stop := errors.New("stop")
	rows = &fakeRows{n: 3}
	if err := store.ReplayRows(rows, rows.scan, func(*article.Article) error { return stop }); err != stop {
		t.Errorf("fn error came back as %v", err)
	}
	rows = &fakeRows{n: 3, bad: 2}
	if err := store.ReplayRows(rows, rows.scan, func(*article.Article) error { return nil }); err == nil || err.Error() != "replay: scan: scan failed" {
		t.Errorf("scan error: %v", err)
	}
	rows = &fakeRows{err: errors.New("gone")}
	if err := store.ReplayRows(rows, rows.scan, func(*article.Article) error { return nil }); err == nil || err.Error() != "replay: gone" {
		t.Errorf("rows error: %v", err)
	}
}
