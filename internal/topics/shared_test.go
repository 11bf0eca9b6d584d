package topics

import (
	"path/filepath"
	"testing"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// sharedPath locates rel inside the shared data directory: $VANTAGE_SHARED if
// set, else a directory named "shared" next to any parent of the package
// directory. It skips the test when the file is absent.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	return sharedtest.Path(t, filepath.ToSlash(rel))
}
