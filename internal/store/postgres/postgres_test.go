package postgres

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/storetest"
)

// testDSN is the server the tests use, from VANTAGE_TEST_POSTGRES_DSN; without
// it they skip, unless VANTAGE_REQUIRE_POSTGRES=1 (CI) makes that a failure.
func testDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("VANTAGE_TEST_POSTGRES_DSN")
	if dsn == "" {
		msg := "VANTAGE_TEST_POSTGRES_DSN is not set; to test the PostgreSQL store set it, e.g. to postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
		if os.Getenv("VANTAGE_REQUIRE_POSTGRES") == "1" {
			tb.Fatal(msg + " (VANTAGE_REQUIRE_POSTGRES=1)")
		}
		tb.Skip(msg)
	}
	return dsn
}

// freshSchema creates an empty schema with a random name, dropped when the
// test ends, and returns the DSN that makes it the search path.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	dsn := testDSN(tb)
	ctx := context.Background()
	b := make([]byte, 6)
	crand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", dsn, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

func open(tb testing.TB, dsn string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, freshSchema(t)) })
}

func TestReopenAndConcurrentMigrations(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	// Instances starting together migrate once.
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(ctx, dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
	db := open(t, dsn)
	if _, err := db.pool.Exec(ctx, `INSERT INTO feeds (url, added) VALUES ('https://x.example/rss', now())`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, dsn)
	st, err := db.Stats(ctx)
	if err != nil || st.Feeds != 1 {
		t.Fatalf("after reopen: %+v, %v", st, err)
	}
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if all, _ := loadMigrations(); n != len(all) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(all))
	}
}

// mkArticle is a normalised article; copies with the same i and another mirror
// have the same text (content hash) under another URL.
func mkArticle(tb testing.TB, tag string, i int, mirror string, words int) article.Article {
	tb.Helper()
	var text strings.Builder
	fmt.Fprintf(&text, "Dispatch %s %d from the wire.", tag, i)
	for w := range words {
		fmt.Fprintf(&text, " word%d", (i*7+w)%500)
	}
	a := article.Article{
		URL:       fmt.Sprintf("https://%snews.example/%s/%d", mirror, tag, i),
		Title:     fmt.Sprintf("Report %s %d on the talks", tag, i),
		Text:      text.String(),
		Source:    "Wire " + mirror,
		Published: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Analysis:  &article.Analysis{Topics: []article.Topic{{Slug: "politics", Score: 0.5}}},
	}
	if err := normalize.Article(&a); err != nil {
		tb.Fatal(err)
	}
	return a
}

// TestConcurrentWriters has two pools (two instances) write the same articles,
// and mirror copies of them, in different orders at the same time: every
// write succeeds and each text is stored once.
func TestConcurrentWriters(t *testing.T) {
	dsn := freshSchema(t)
	ctx := context.Background()
	pools := []*DB{open(t, dsn), open(t, dsn)}
	const n, batch, writers = 120, 15, 8
	var mu sync.Mutex
	newCount := map[string]int{} // content hash → New outcomes
	var wg sync.WaitGroup
	for w := range writers {
		db := pools[w%2]
		wg.Go(func() {
			mirror := ""
			if w%4 >= 2 {
				mirror = "mirror."
			}
			var arts []article.Article
			for i := range n {
				arts = append(arts, mkArticle(t, "c", i, mirror, 40))
			}
			r := rand.New(rand.NewPCG(uint64(w), 1))
			r.Shuffle(len(arts), func(i, j int) { arts[i], arts[j] = arts[j], arts[i] })
			for start := 0; start < n; start += batch {
				part := arts[start:min(start+batch, n)]
				out, err := db.PutArticles(ctx, part)
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				for i, o := range out {
					switch o.Status {
					case store.New:
						newCount[part[i].ContentHash]++
					case store.Duplicate:
						if o.DuplicateOf == "" {
							t.Errorf("writer %d: duplicate %s of nothing", w, o.ID)
						}
					default:
						t.Errorf("writer %d: status %q", w, o.Status)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(newCount) != n {
		t.Errorf("%d texts stored as new, want %d", len(newCount), n)
	}
	for h, c := range newCount {
		if c != 1 {
			t.Errorf("text %s stored %d times", h[:8], c)
		}
	}
	st, err := pools[0].Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != n {
		t.Errorf("stored %d articles, want %d", st.Articles, n)
	}
}

// TestHostileText: NUL bytes and invalid UTF-8 (which PostgreSQL refuses) are
// cleaned, and no search input is an error.
func TestHostileText(t *testing.T) {
	db := open(t, freshSchema(t))
	ctx := context.Background()
	a := mkArticle(t, "nul", 1, "", 5)
	a.Title += " \x00 bad \xff byte"
	a.Analysis.Topics[0].Slug = "x\x00y"
	if _, err := db.PutArticles(ctx, []article.Article{a}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(got.Title, 0) || got.Analysis.Topics[0].Slug != "xy" {
		t.Errorf("read back title %q, slug %q", got.Title, got.Analysis.Topics[0].Slug)
	}
	for _, q := range []string{`'`, `\`, `:*`, `&|!()<->`, `"a" "`, `foo:* & bar`, `' OR 1=1 --`, "\x00", `report:*`,
		`!report`, `report <2> talks`, `"`, `*`, `'report'`, `é*`, `日本語 テスト`, `nul*`, `a:A`, `report's`} {
		if _, err := db.Articles(ctx, store.ArticleQuery{Q: q}); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	p, err := db.Articles(ctx, store.ArticleQuery{Q: `"Report nul" talks`})
	if err != nil || len(p.Articles) != 1 {
		t.Errorf("phrase search: %d hits, %v", len(p.Articles), err)
	}
}

// TestRankTitleFirst: a word in the title outranks the same word in the text,
// and newer articles come first among equals.
func TestRankTitleFirst(t *testing.T) {
	db := open(t, freshSchema(t))
	ctx := context.Background()
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var arts []article.Article
	for i, tt := range []struct{ title, text string }{
		{"Markets calm", "The glacier melted faster this spring, scientists said."},
		{"Glacier melts faster", "Scientists measured the ice this spring."},
		{"Weather update", "Rain and a glacier walk were cancelled."},
	} {
		a := article.Article{URL: fmt.Sprintf("https://rank.example/%d", i), Title: tt.title, Text: tt.text, Published: day.Add(time.Duration(i) * time.Hour)}
		if err := normalize.Article(&a); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	if _, err := db.PutArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	p, err := db.Articles(ctx, store.ArticleQuery{Q: "GLACIER"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range p.Articles {
		got = append(got, a.Title)
	}
	if want := "Glacier melts faster|Weather update|Markets calm"; strings.Join(got, "|") != want {
		t.Errorf("ranked %q, want %q", strings.Join(got, "|"), want)
	}
}

// TestForgedCursors: cursors PostgreSQL would refuse are ErrCursor.
func TestForgedCursors(t *testing.T) {
	db := open(t, freshSchema(t))
	ctx := context.Background()
	for _, c := range []store.ArticleCursor{{T: 1 << 62, S: 1}, {T: -1 << 62, S: 1}, {Off: -5, Q: "x"}} {
		if _, err := db.Articles(ctx, store.ArticleQuery{Q: c.Q, Cursor: c.Encode()}); !errors.Is(err, store.ErrCursor) {
			t.Errorf("articles cursor %+v: err = %v, want ErrCursor", c, err)
		}
	}
	if _, err := db.Stories(ctx, store.StoryQuery{Cursor: store.StoryCursor{T: 1 << 62, ID: "x"}.Encode()}); !errors.Is(err, store.ErrCursor) {
		t.Errorf("stories cursor: err = %v, want ErrCursor", err)
	}
	if _, err := db.Stories(ctx, store.StoryQuery{Cursor: store.StoryCursor{T: 1e9, ID: "x"}.Encode()}); err != nil {
		t.Errorf("plausible stories cursor: %v", err)
	}
}

func TestTSQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"iran iraq", `'iran' & 'iraq'`},
		{`"border pact" deal`, `('border' <-> 'pact') & 'deal'`},
		{"AND OR NOT", `'AND' & 'OR' & 'NOT'`},
		{"u.s.-iran", `'u' & 's' & 'iran'`},
		{"elect*", `'elect':*`},
		{`"unterminated`, `'unterminated'`},
		{`it's:* & !x | (y)`, `'it' & 's':* & 'x' & 'y'`},
		{"***", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := TSQuery(tt.in); got != tt.want {
			t.Errorf("TSQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJSONBSafe(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"x\u0000y"}`:  `{"a":"xy"}`,
		`{"a":"x\\u0000y"}`: `{"a":"x\\u0000y"}`, // an escaped backslash, then text
		`{"a":"\"\u0000"}`:  `{"a":"\""}`,
		`{"a":"plain"}`:     `{"a":"plain"}`,
	} {
		if got := string(jsonbSafe([]byte(in))); got != want {
			t.Errorf("jsonbSafe(%s) = %s, want %s", in, got, want)
		}
	}
}

// BenchmarkPutArticles stores batches of new articles (about 2 KB of text
// each), and re-puts a stored batch (every article a duplicate).
func BenchmarkPutArticles(b *testing.B) {
	dsn := freshSchema(b)
	db := open(b, dsn)
	ctx := context.Background()
	next := 0
	for _, size := range []int{1, 10, 100, 500} {
		b.Run(fmt.Sprintf("new/batch=%d", size), func(b *testing.B) {
			batches := make([][]article.Article, b.N)
			for i := range batches {
				for range size {
					batches[i] = append(batches[i], mkArticle(b, "bench", next, "", 300))
					next++
				}
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := db.PutArticles(ctx, batches[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "articles/s")
		})
	}
	b.Run("duplicates/batch=100", func(b *testing.B) {
		var batch []article.Article
		for range 100 {
			batch = append(batch, mkArticle(b, "bench", next, "", 300))
			next++
		}
		if _, err := db.PutArticles(ctx, batch); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := db.PutArticles(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "articles/s")
	})
}
