package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

func (m *Main) runBench(ctx context.Context, args []string) error {
	fs, l := m.flags("bench", "ingest FILE")
	runs := fs.Int("runs", 1, "repeat the measurement on a fresh database")
	analyse := fs.Bool("analyse", false, "run the analysers (places, entities, topics) too")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "ingest" {
		fs.Usage()
		return errUsage
	}
	file := pos[1]
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	for r := 0; r < *runs; r++ {
		dir, err := os.MkdirTemp("", "vantage-bench-")
		if err != nil {
			return err
		}
		path := filepath.Join(dir, "bench.db")
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
		p := &pipeline.Pipeline{Store: db, Logger: m.logger(cfg)}
		mode := "analysers off"
		if *analyse {
			if p.Analysers, err = analysers(); err != nil {
				db.Close()
				os.RemoveAll(dir)
				return err
			}
			mode = fmt.Sprintf("%d analysers on", len(p.Analysers))
		}
		start := time.Now()
		sum, err := p.Run(ctx, ingest.Paths(ctx, []string{file}, m.Stdin, ingest.Options{}))
		el := time.Since(start)
		db.Close()
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "bench ingest %s (run %d): %d articles (%d new) in %s: %.0f articles/s, %.1f MB/s; peak RSS %.0f MB; %s; SQLite at a temp path; %s/%s, %d CPUs\n",
			filepath.Base(file), r+1, sum.Read, sum.New, el.Round(time.Millisecond), float64(sum.Read)/el.Seconds(),
			float64(info.Size())/1e6/el.Seconds(), peakRSSMB(), mode, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	}
	return nil
}

// peakRSSMB is the process's peak resident set size in MB (Linux: ru_maxrss in KiB).
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) * 1024 / 1e6
}
