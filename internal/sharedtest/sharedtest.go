// Package sharedtest locates the read-only evaluation data (../shared beside the
// repository) for tests: a test that needs it skips with a clear message when it
// is absent, and fails instead when VANTAGE_REQUIRE_SHARED=1 (as .ci/run sets).
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the shared folder (VANTAGE_SHARED, or a "shared" directory beside
// one of the working directory's ancestors), or "" when there is none.
func Root() string {
	if d := os.Getenv("VANTAGE_SHARED"); d != "" {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		cand := filepath.Join(filepath.Dir(dir), "shared")
		if fi, err := os.Stat(filepath.Join(cand, "data")); err == nil && fi.IsDir() {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the shared path rel (e.g. "data/feeds/real-world"), skipping the
// test when it is absent, or failing it when VANTAGE_REQUIRE_SHARED=1.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	root := Root()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if root != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("VANTAGE_REQUIRE_SHARED") == "1" {
		tb.Fatalf("shared data required but not present: %s (set VANTAGE_SHARED)", rel)
	}
	tb.Skipf("shared data not present: %s (set VANTAGE_SHARED to run this test)", rel)
	return ""
}
