package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns the directory of the team's shared test data (holding data/pages/...):
// $VANTAGE_SHARED if set, else a directory named "shared" next to the repository root (or
// any directory above the package). It skips the test when there is none.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	if d := os.Getenv("VANTAGE_SHARED"); d != "" {
		p := filepath.Join(d, rel)
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared data not present: %s (VANTAGE_SHARED=%s)", p, d)
		}
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for dir := wd; ; {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skipf("shared data not present: no shared/%s above %s (set VANTAGE_SHARED to its location)", rel, wd)
	return ""
}
