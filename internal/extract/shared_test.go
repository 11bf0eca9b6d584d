package extract

import (
	"path/filepath"
	"testing"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// sharedDir returns the directory of the team's shared test data (holding data/pages/...):
// $VANTAGE_SHARED if set, else a directory named "shared" next to the repository root (or
// any directory above the package). It skips the test when there is none.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	return sharedtest.Path(t, filepath.ToSlash(rel))
}
