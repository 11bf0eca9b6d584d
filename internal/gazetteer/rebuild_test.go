package gazetteer

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vantage-news/vantage/internal/gazetteer/build"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

// TestArtifactUpToDate rebuilds the artifact from the shared source tables and checks that
// it is byte-identical to the embedded one (run `go generate ./internal/gazetteer` when it
// is not). Set VANTAGE_GAZETTEER_SRC to use another source folder.
func TestArtifactUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("rebuilding the gazetteer takes a few seconds")
	}
	src := os.Getenv("VANTAGE_GAZETTEER_SRC")
	if src == "" {
		src = sharedtest.Path(t, "data/gazetteer")
	}
	if _, err := os.Stat(filepath.Join(src, "geonames", "cities15000.txt")); err != nil {
		t.Skipf("gazetteer sources not found at %s (set VANTAGE_GAZETTEER_SRC): %v", src, err)
	}
	var buf bytes.Buffer
	if err := build.Write(src, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), embedded) {
		t.Fatalf("the embedded artifact (%d bytes) differs from a rebuild (%d bytes): run go generate ./internal/gazetteer", len(embedded), buf.Len())
	}
}
