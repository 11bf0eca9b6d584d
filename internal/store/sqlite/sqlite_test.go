package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "vantage.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO feeds(url, added) VALUES ('https://x.example/rss', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path) // migrations must not run twice
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.Stats(ctx)
	if err != nil || st.Feeds != 1 {
		t.Fatalf("after reopen: %+v, %v", st, err)
	}
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
}

func TestFTSQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"iran iraq", `"iran" "iraq"`},
		{`"border pact" deal`, `"border pact" "deal"`},
		{"AND OR NOT", `"AND" "OR" "NOT"`},
		{"u.s.-iran", `"u" "s" "iran"`},
		{"elect*", `"elect"*`},
		{`"unterminated`, `"unterminated"`},
		{"***", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FTSQuery(tt.in); got != tt.want {
			t.Errorf("FTSQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
