// Package cli is the command-line surface of the vantage binary: one file per
// subcommand, dispatched from Main.Run, each with its own flags and --help.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/fetch"
	"github.com/vantage-news/vantage/internal/pipeline"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/store/postgres"
	"github.com/vantage-news/vantage/internal/store/sqlite"
)

// Main holds the process's standard streams and environment, so tests can run
// commands in-process.
type Main struct {
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string
	Version string
}

type command struct {
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"ingest":  {"load articles from JSON Lines, feed, HTML or text files, directories or stdin", (*Main).runIngest},
		"feeds":   {"manage feed subscriptions: add, list, remove, import and export OPML", (*Main).runFeeds},
		"fetch":   {"poll every due feed once and store new articles", (*Main).runFetch},
		"extract": {"print the article extracted from an HTML file or URL as JSON", (*Main).runExtract},
		"serve":   {"run the HTTP API and web page", (*Main).runServe},
		"demo":    {"start a server on a throwaway database loaded with the bundled sample news", (*Main).runDemo},
		"stats":   {"print counts of articles, stories and feeds as JSON", (*Main).runStats},
		"bench":   {"measure throughput and memory (bench ingest FILE)", (*Main).runBench},
		"version": {"print the version", (*Main).runVersion},
		"topics":  {"list the topic taxonomy with IPTC Media Topic codes (topics list)", (*Main).runTopics},
		"train":   {"retrain the topic classifier from labelled data (train topics)", (*Main).runTrain},
		"places":  {"look up the embedded gazetteer (places search NAME, places show ID)", (*Main).runPlaces},
		"analyze": {"print places, focus, people, organisations and topics of JSON Lines articles", (*Main).runAnalyze},
		"cluster": {"group JSON Lines articles into stories: one {id, story, duplicate_of} line per input", (*Main).runCluster},
		"brief":   {"rank stories for a place and write a local lens for each (brief --place P [--topics …] [FILE …])", (*Main).runBrief},
		"eval":    {"score a step on labelled data (eval extract|topics --corpus …)", (*Main).runEval},
	}
}

// errUsage marks an error already explained by usage output.
var errUsage = errors.New("usage")

// Run executes one command line (without the program name) and returns the
// process exit code: 0 ok, 1 failure, 2 usage error.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(m.Stderr, "vantage: unknown command %q\n\n", args[0])
		m.usage(cmds)
		return 2
	}
	err := c.run(m, ctx, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintf(m.Stderr, "vantage %s: %v\n", args[0], err)
		return 1
	}
}

func (m *Main) usage(cmds map[string]command) {
	fmt.Fprintln(m.Stderr, "Vantage reads the news and tells each place what a story means for it.")
	fmt.Fprintln(m.Stderr, "\nUsage: vantage COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(m.Stderr, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(m.Stderr, "\nEvery command takes --db PATH (env VANTAGE_DB) and --config FILE.toml; run 'vantage COMMAND --help' for its flags.")
}

// flags makes a command's flag set with the shared settings bound.
func (m *Main) flags(name, argsUsage string, keys ...string) (*flag.FlagSet, *config.Loader) {
	fs := flag.NewFlagSet("vantage "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	keys = append([]string{"db", "log_level"}, keys...)
	l := config.Bind(fs, keys...)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: vantage %s [flags] %s\n\n%s.\n\nFlags:\n", name, argsUsage, commands()[name].summary)
		fs.PrintDefaults()
	}
	return fs, l
}

// parse parses flags, which may come before, between or after the positional
// arguments, and resolves the configuration. It returns the positional arguments.
func (m *Main) parse(fs *flag.FlagSet, l *config.Loader, args []string) (config.Config, []string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return config.Config{}, nil, err
			}
			return config.Config{}, nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if len(args) > len(fs.Args()) && args[len(args)-len(fs.Args())-1] == "--" {
			pos = append(pos, fs.Args()...) // everything after "--" is positional
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	cfg, err := l.Load(m.Getenv)
	if err != nil {
		fmt.Fprintf(m.Stderr, "vantage %s: %v\n", strings.TrimPrefix(fs.Name(), "vantage "), err)
		return cfg, nil, errUsage
	}
	return cfg, pos, nil
}

// parseNoArgs is parse for commands that take no positional arguments.
func (m *Main) parseNoArgs(fs *flag.FlagSet, l *config.Loader, args []string) (config.Config, error) {
	cfg, pos, err := m.parse(fs, l, args)
	if err == nil && len(pos) > 0 {
		fs.Usage()
		return cfg, errUsage
	}
	return cfg, err
}

// openPipeline opens the store and a pipeline with every analyser and the
// story clusterer over it, the clusterer warmed with the stored window.
func openPipeline(ctx context.Context, cfg config.Config, log *slog.Logger) (store.Store, *pipeline.Pipeline, error) {
	ans, err := analysers()
	if err != nil {
		return nil, nil, err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	p := &pipeline.Pipeline{Store: db, Logger: log, Analysers: ans}
	if err := withStories(ctx, cfg, p); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, p, nil
}

// withStories gives p a story clusterer and replays the stored window into it.
func withStories(ctx context.Context, cfg config.Config, p *pipeline.Pipeline) error {
	p.Stories = cluster.NewTracker(cluster.Options{Window: cfg.StoryWindow})
	start := time.Now()
	n, err := p.WarmStories(ctx)
	if err != nil {
		return err
	}
	if n > 0 && p.Logger != nil {
		p.Logger.Info("stories warmed", "articles", n, "live_stories", p.Stories.Engine().Len(), "elapsed", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func (m *Main) logger(cfg config.Config) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: lvl}))
}

// openStore opens the configured store: PostgreSQL when the db value is a
// postgres:// or postgresql:// URL, else the SQLite file at that path.
func openStore(ctx context.Context, cfg config.Config) (store.Store, error) {
	if strings.HasPrefix(cfg.DB, "postgres://") || strings.HasPrefix(cfg.DB, "postgresql://") {
		db, err := postgres.Open(ctx, cfg.DB)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	return sqlite.Open(ctx, cfg.DB)
}

func fetchClient(cfg config.Config) *fetch.Client {
	return fetch.New(fetch.Options{
		Timeout:         cfg.FetchTimeout,
		MaxBytes:        cfg.MaxBodyBytes,
		AllowPrivate:    cfg.AllowPrivate,
		UserAgent:       cfg.UserAgent,
		PerHostInterval: cfg.PerHostInterval,
		MaxConcurrent:   cfg.FetchConcurrency,
	})
}

// parseInput parses the flags of a command that reads one optional FILE (or
// stdin) and opens it.
func (m *Main) parseInput(fs *flag.FlagSet, l *config.Loader, args []string) (config.Config, io.Reader, string, func() error, error) {
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return cfg, nil, "", nil, err
	}
	if len(pos) > 1 {
		fs.Usage()
		return cfg, nil, "", nil, errUsage
	}
	in, name, closeIn, err := m.input(pos)
	return cfg, in, name, closeIn, err
}

// input opens the one optional FILE argument, or standard input for none or "-".
func (m *Main) input(pos []string) (io.Reader, string, func() error, error) {
	if len(pos) == 0 || pos[0] == "-" {
		return m.Stdin, "stdin", func() error { return nil }, nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, "", nil, err
	}
	return f, pos[0], f.Close, nil
}

// isTerminal reports whether w is a character device (a progress bar is shown
// only there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
