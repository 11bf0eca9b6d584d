package topics

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedPath locates rel inside the shared data directory: $VANTAGE_SHARED if
// set, else a directory named "shared" next to any parent of the package
// directory. It skips the test when the file is absent.
func sharedPath(t testing.TB, rel string) string {
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
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	t.Skipf("shared data not present: no shared/%s above %s (set VANTAGE_SHARED)", rel, wd)
	return ""
}
