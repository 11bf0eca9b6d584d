package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

func (m *Main) runBench(ctx context.Context, args []string) error {
	fs, l := m.flags("bench", "ingest FILE | brief")
	runs := fs.Int("runs", 1, "repeat the measurement on a fresh database (ingest); briefings per place (brief, default 50)")
	analyse := fs.Bool("analyse", false, "run the analysers (places, entities, topics) and story clustering too")
	places := fs.String("places", "Istanbul;Tokyo;Nairobi;Kurdistan;Paris, Texas", "brief: semicolon-separated places to brief")
	topicList := fs.String("topics", "politics,policy-and-legislation", "brief: the reader's topics")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && pos[0] == "brief" {
		n := *runs
		if n <= 1 {
			n = 50
		}
		return m.benchBrief(ctx, cfg, strings.Split(*places, ";"), *topicList, n)
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
			p.Stories = cluster.NewTracker(cluster.Options{Window: cfg.StoryWindow})
			mode = fmt.Sprintf("%d analysers and story clustering on", len(p.Analysers))
		}
		start := time.Now()
		sum, err := p.Run(ctx, ingest.Paths(ctx, []string{file}, m.Stdin, ingest.Options{}))
		el := time.Since(start)
		db.Close()
		os.RemoveAll(dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "bench ingest %s (run %d): %d articles (%d new, %d stories) in %s: %.0f articles/s, %.1f MB/s; peak RSS %.0f MB; %s; SQLite at a temp path; %s/%s, %d CPUs\n",
			filepath.Base(file), r+1, sum.Read, sum.New, sum.Stories, el.Round(time.Millisecond), float64(sum.Read)/el.Seconds(),
			float64(info.Size())/1e6/el.Seconds(), peakRSSMB(), mode, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
		fmt.Fprintf(m.Stdout, "  stages: %s\n", stageLine(sum.Stages))
	}
	return nil
}

// stageLine formats where an ingest run spent its time, with the
// clustering engine's own throughput.
func stageLine(st pipeline.Stages) string {
	sec := func(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
	line := fmt.Sprintf("analyse %s (wall, parallel, overlapping the rest), store articles %s", sec(st.Analyse), sec(st.StoreArticles))
	if st.Clustered > 0 {
		line += fmt.Sprintf(", cluster %s (%d articles, %.0f articles/s on one goroutine), save stories %s",
			sec(st.Cluster), st.Clustered, float64(st.Clustered)/max(st.Cluster.Seconds(), 1e-9), sec(st.SaveStories))
	}
	return line
}

// peakRSSMB is the process's peak resident set size in MB (Linux: ru_maxrss in KiB).
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) * 1024 / 1e6
}

// benchBrief times briefings over the stories in the store: the index load
// once, then n briefings per place, and prints the latency percentiles.
func (m *Main) benchBrief(ctx context.Context, cfg config.Config, places []string, topicList string, n int) error {
	interests, err := parseTopics(topicList)
	if err != nil {
		return err
	}
	g, err := gazetteer.Default()
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	en := lensEngine(g, cfg)
	en.Stories = db
	start := time.Now()
	count, err := en.Index.Load(ctx, db, time.Time{})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "bench brief: index of %d stories loaded in %s; peak RSS %.0f MB\n", count, time.Since(start).Round(time.Millisecond), peakRSSMB())
	var all []time.Duration
	for _, pl := range places {
		r, err := lens.ResolvePlace(g, strings.TrimSpace(pl))
		if err != nil {
			return err
		}
		var lat []time.Duration
		for range n {
			t0 := time.Now()
			if _, err := en.Brief(ctx, lens.Query{Reader: r, Interests: interests, Limit: 10}); err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
		}
		all = append(all, lat...)
		p50, p95, p99 := percentiles(lat)
		fmt.Fprintf(m.Stdout, "  %-22s %d briefings: p50 %s, p95 %s, p99 %s\n", r.Label, n, p50, p95, p99)
	}
	p50, p95, p99 := percentiles(all)
	fmt.Fprintf(m.Stdout, "  all: p50 %s, p95 %s, p99 %s (limit 10, with lens text and store reads); %s/%s, %d CPUs\n", p50, p95, p99, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	return nil
}

func percentiles(d []time.Duration) (p50, p95, p99 time.Duration) {
	if len(d) == 0 {
		return
	}
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration {
		return s[min(len(s)-1, int(q*float64(len(s))))].Round(10 * time.Microsecond)
	}
	return at(0.50), at(0.95), at(0.99)
}
