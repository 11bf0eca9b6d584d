// Package postgres is the PostgreSQL Store, for several Vantage instances
// sharing work: one database (pgx connection pool), embedded migrations applied
// under an advisory lock, a generated tsvector column with a GIN index for full
// text, and deduplication that stays correct when instances write the same
// articles at the same time.
//
// It needs PostgreSQL 12 or later (generated columns). Full-text search needs
// the unaccent extension (in PostgreSQL's contrib package); the first
// migration creates it when it is missing, which takes the CREATE privilege on
// the database.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vantage-news/vantage/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the advisory lock key held while migrating. It is
// database-wide: the unaccent extension is too.
const migrateLock int64 = 0x76616e7461676501 // "vantage" 01

// DB is a Store backed by a PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

var _ store.Store = (*DB)(nil)

// Option configures Open.
type Option func(*DB)

// WithClock sets the clock used for fetched/added times (tests).
func WithClock(now func() time.Time) Option { return func(d *DB) { d.now = now } }

// Open connects to the database named by dsn (a postgres:// URL or key=value
// string; a search_path parameter selects the schema) and applies pending
// migrations.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// pgx prepares each statement once per connection, and PostgreSQL may
	// then keep a generic plan made while the tables were small (a sequential
	// scan for the dedupe lookups of PutArticles, 50 times slower later on).
	// Plan every execution with its values instead, unless the DSN says.
	if _, ok := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	d := &DB{pool: pool, now: time.Now}
	for _, o := range opts {
		o(d)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	return d, nil
}

// Close closes every connection of the pool.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

type migration struct {
	version int
	name    string
	body    string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: bad version: %w", base, err)
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, body: string(body)})
	}
	return out, nil
}

// migrate applies pending migrations, each in its own transaction, while
// holding a session advisory lock so that instances starting together apply
// each migration once.
func (d *DB) migrate(ctx context.Context) (err error) {
	all, err := loadMigrations()
	if err != nil {
		return err
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx is done.
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, uerr := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, migrateLock); uerr != nil {
			// The session may still hold the lock: do not return it to the pool.
			conn.Conn().Close(uctx)
			if err == nil {
				err = fmt.Errorf("unlock: %w", uerr)
			}
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	done := map[int]bool{}
	rows, err := conn.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return err
	}
	for _, v := range versions {
		done[int(v)] = true
	}
	for _, m := range all {
		if done[m.version] {
			continue
		}
		body := m.body
		if strings.Contains(body, "{{unaccent}}") {
			dict, err := unaccentDictionary(ctx, conn.Conn())
			if err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			body = strings.ReplaceAll(body, "{{unaccent}}", dict)
		}
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// No arguments: the simple protocol runs every statement of the file.
			if _, err := tx.Exec(ctx, body); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.version)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// unaccentDictionary returns the qualified name of the unaccent dictionary,
// creating the extension (in schema public when allowed, else in the current
// schema) when the database does not have it yet.
func unaccentDictionary(ctx context.Context, conn *pgx.Conn) (string, error) {
	find := func() (string, error) {
		var schema string
		err := conn.QueryRow(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
			WHERE e.extname = 'unaccent'`).Scan(&schema)
		return schema, err
	}
	schema, err := find()
	if errors.Is(err, pgx.ErrNoRows) {
		_, err = conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`)
		if err != nil {
			_, err = conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS unaccent`)
		}
		if err != nil {
			return "", fmt.Errorf("full-text search needs the unaccent extension (PostgreSQL contrib): %w", err)
		}
		schema, err = find()
	}
	if err != nil {
		return "", fmt.Errorf("find unaccent extension: %w", err)
	}
	return pgx.Identifier{schema, "unaccent"}.Sanitize(), nil
}

// Stats counts stored things.
func (d *DB) Stats(ctx context.Context) (store.Stats, error) {
	var s store.Stats
	err := d.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM articles),
		(SELECT count(*) FROM stories),
		(SELECT count(*) FROM feeds),
		(SELECT count(DISTINCT source) FROM articles)`).Scan(&s.Articles, &s.Stories, &s.Feeds, &s.Sources)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	return s, nil
}

// errRetry asks inTx to run a transaction again.
var errRetry = errors.New("conflicting concurrent write")

// retryable reports whether a failed transaction may succeed when run again:
// a deadlock or serialization failure between instances, or errRetry.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40P01" || pe.Code == "40001"
	}
	return errors.Is(err, errRetry)
}

// inTx runs fn in a transaction, committing when it returns nil, and runs it
// again (a few times, after a short pause) when it fails in a retryable way.
func (d *DB) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	const attempts = 5
	for i := 1; ; i++ {
		err := pgx.BeginFunc(ctx, d.pool, fn)
		if err == nil || i == attempts || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(i*i) * 5 * time.Millisecond):
		}
	}
}

// sec drops the fraction of a second, as stored: cursors carry whole seconds.
func sec(t time.Time) time.Time { return time.Unix(t.Unix(), 0).UTC() }

// timeOrNil is t in whole seconds, or nil (NULL) when t is zero.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	s := sec(t)
	return &s
}

// utc turns a nullable column back into a time, zero for NULL.
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// clean makes s storable in a text column: PostgreSQL refuses NUL bytes and
// invalid UTF-8, which SQLite keeps.
func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

func stringOrNil(s string) *string {
	if s == "" {
		return nil
	}
	s = clean(s)
	return &s
}

// jsonbSafe drops the \u0000 escapes of encoding/json output, which jsonb
// refuses.
func jsonbSafe(b []byte) []byte {
	if !strings.Contains(string(b), `\u0000`) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		if string(b[i+1:min(i+6, len(b))]) == "u0000" {
			i += 5
			continue
		}
		out = append(out, b[i], b[i+1]) // any other escape, kept whole
		i++
	}
	return out
}
