package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/config"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/topics"
)

func (m *Main) runBrief(ctx context.Context, args []string) error {
	fs, l := m.flags("brief", "[FILE|DIR|- ...]", "nearby_km", "llm_url", "llm_model", "llm_key")
	place := fs.String("place", "", "the reader's place: a name (\"Istanbul\", \"Paris, Texas\"), a region, a GeoNames ID or lat,lon (required)")
	topicList := fs.String("topics", "", "comma-separated topic slugs the reader follows (see vantage topics list)")
	since := fs.String("since", "", "only stories last seen within this span before the newest one (48h, 7d; default: all)")
	limit := fs.Int("limit", 10, "stories that touch the place or match the topics")
	unaffected := fs.Int("unaffected", 3, "big stories to add as \"largely unaffected\" lines (0: none)")
	format := fs.String("format", "text", "output: text, markdown, json or html")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if *place == "" {
		fmt.Fprintln(m.Stderr, "vantage brief: --place is required")
		fs.Usage()
		return errUsage
	}
	switch *format {
	case "text", "markdown", "json", "html":
	default:
		return fmt.Errorf("unknown --format %q (text, markdown, json, html)", *format)
	}
	interests, err := parseTopics(*topicList)
	if err != nil {
		return err
	}
	var span time.Duration
	if *since != "" {
		if span, err = parseSpan(*since); err != nil {
			return err
		}
	}
	g, err := gazetteer.Default()
	if err != nil {
		return fmt.Errorf("load gazetteer: %w", err)
	}
	reader, err := lens.ResolvePlace(g, *place)
	if err != nil {
		return err
	}
	en := lensEngine(g, cfg)
	if len(pos) > 0 {
		stories, err := m.storiesFromFiles(ctx, cfg, pos)
		if err != nil {
			return err
		}
		en.Stories = stories
		for _, st := range stories {
			en.Index.Upsert(*st)
		}
	} else {
		db, err := openStore(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		if _, err := en.Index.Load(ctx, db, time.Time{}); err != nil {
			return err
		}
		en.Stories = db
	}
	b, err := en.Brief(ctx, lens.Query{Reader: reader, Interests: interests, Since: span, Limit: *limit, Unaffected: unaffectedCount(*unaffected)})
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(b)
	case "markdown":
		return b.WriteMarkdown(m.Stdout)
	case "html":
		return b.WriteHTML(m.Stdout)
	}
	return b.WriteText(m.Stdout)
}

// unaffectedCount maps the flag (0 = none) to lens.Query.Unaffected (0 = default, negative = none).
func unaffectedCount(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// lensEngine builds the lens engine from the configuration, with the LLM
// writer when one is configured.
func lensEngine(g *gazetteer.Gazetteer, cfg config.Config) *lens.Engine {
	en := &lens.Engine{G: g, Index: lens.NewIndex(g), Options: lens.Options{NearbyKm: cfg.NearbyKm}}
	if cfg.LLMURL != "" {
		en.Writer = &lens.OpenAIWriter{URL: cfg.LLMURL, Model: cfg.LLMModel, APIKey: cfg.LLMKey}
	}
	return en
}

// parseTopics checks a comma-separated list of topic slugs.
func parseTopics(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	known := map[string]bool{}
	for _, t := range topics.Taxonomy() {
		known[t.Slug] = true
	}
	var out []string
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if !known[t] {
			return nil, fmt.Errorf("unknown topic %q (see vantage topics list)", t)
		}
		out = append(out, t)
	}
	return out, nil
}

// parseSpan reads "48h", "90m" or "7d".
func parseSpan(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err == nil && n > 0 && fmt.Sprint(n) == d {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad time span %q (use 48h, 90m or 7d)", s)
	}
	return d, nil
}

// memStories holds the stories of a briefing over files given directly.
type memStories map[string]*article.Story

func (s memStories) Story(_ context.Context, id string) (*article.Story, error) {
	if st, ok := s[id]; ok {
		return st, nil
	}
	return nil, fmt.Errorf("story %s: %w", id, store.ErrNotFound)
}

// storiesFromFiles analyses and clusters articles read from files, without a store.
func (m *Main) storiesFromFiles(ctx context.Context, cfg config.Config, paths []string) (memStories, error) {
	ans, err := analysers()
	if err != nil {
		return nil, err
	}
	tr := cluster.NewTracker(cluster.Options{Window: cfg.StoryWindow})
	touched := map[string]bool{}
	read := 0
	for rec := range ingest.Paths(ctx, paths, m.Stdin, ingest.Options{}) {
		if rec.Err != nil {
			fmt.Fprintf(m.Stderr, "vantage brief: skipped %s: %v\n", rec.Where, rec.Err)
			continue
		}
		a := rec.Article
		if err := normalize.Article(&a); err != nil {
			fmt.Fprintf(m.Stderr, "vantage brief: skipped %s: %v\n", rec.Where, err)
			continue
		}
		for _, an := range ans {
			if err := an.Analyse(ctx, &a); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", rec.Where, an.Name(), err)
			}
		}
		as := tr.Add(&a)
		touched[as.Story] = true
		read++
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if read == 0 {
		return nil, errors.New("no articles read")
	}
	out := memStories{}
	for id := range touched {
		if rec, ok := tr.Record(id); ok {
			out[rec.ID] = rec
		}
	}
	return out, nil
}
