// Command gazetteer-build writes the embedded gazetteer artifact from the shared source
// tables; `go generate ./internal/gazetteer` runs it.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vantage-news/vantage/internal/gazetteer/build"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gazetteer-build:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("gazetteer-build", flag.ContinueOnError)
	src := fs.String("src", "../shared/data/gazetteer", "source folder; a relative path is taken from the module root")
	out := fs.String("out", "internal/gazetteer/data/gazetteer.bin.gz", "artifact to write; a relative path is taken from the module root")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if !filepath.IsAbs(*src) {
		*src = filepath.Join(root, *src)
	}
	if !filepath.IsAbs(*out) {
		*out = filepath.Join(root, *out)
	}
	var buf bytes.Buffer
	if err := build.Write(*src, &buf); err != nil {
		return err
	}
	// Leave the file untouched when nothing changed, so its mtime stays put too.
	if old, err := os.ReadFile(*out); err == nil && bytes.Equal(old, buf.Bytes()) {
		return nil
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, *out)
}

// moduleRoot is the nearest directory at or above the working directory with a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
