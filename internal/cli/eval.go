package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"

	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/topics"
)

const evalUsage = `extract --corpus DIR | topics --corpus FILE.jsonl [--data DIR] | geoparse --corpus FILE.jsonl[,FILE...]|DIR [--doc FILE.md] | focus --corpus FILE.jsonl | entities --corpus GUM-DIR | stories --corpus FILE.jsonl | summaries --corpus FILE.jsonl`

func (m *Main) runEval(ctx context.Context, args []string) error {
	fs, l := m.flags("eval", evalUsage)
	corpus := fs.String("corpus", "", "labelled corpus (file or directory, see each eval)")
	data := fs.String("data", "", "topics: directory of the labelled training sets (default: the corpus's directory)")
	folds := fs.Int("folds", 5, "topics: folds of cross-validation when the corpus is a training set")
	doc := fs.String("doc", "", "geoparse/focus: also write the evaluation table (Markdown) to this file")
	_, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *corpus == "" {
		fs.Usage()
		return errUsage
	}
	switch pos[0] {
	case "extract":
		rep, err := extract.ScoreBenchmark(ctx, *corpus)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, rep)
	case "topics":
		dir := *data
		if dir == "" {
			dir = filepath.Dir(*corpus)
		}
		model, err := topics.Default()
		if err != nil {
			return err
		}
		rep, err := topics.Evaluate(ctx, *corpus, model, topics.EvalOptions{DataDir: dir, Folds: *folds})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, rep)
	case "geoparse", "focus":
		g, err := gazetteer.Default()
		if err != nil {
			return err
		}
		p, err := geo.New(g, geo.Options{})
		if err != nil {
			return err
		}
		// --corpus may name several files (comma-separated) or a folder of corpora; each
		// is scored as a geoparse or a focus corpus by its content, and --doc writes the
		// table of all of them (docs/evaluation.md: --corpus ../shared/data/geoparse/dev).
		var reps []geo.Report
		if paths := strings.Split(*corpus, ","); len(paths) > 1 || isDir(*corpus) {
			reps, err = geo.EvalCorpora(ctx, paths, p)
		} else {
			var rep geo.Report
			if pos[0] == "geoparse" {
				rep, err = geo.EvalGeoparse(ctx, *corpus, p)
			} else {
				rep, err = geo.EvalFocus(ctx, *corpus, p)
			}
			reps = []geo.Report{rep}
		}
		if err != nil {
			return err
		}
		for _, rep := range reps {
			fmt.Fprintln(m.Stdout, rep)
		}
		if *doc != "" {
			if err := os.WriteFile(*doc, []byte(geo.EvaluationMarkdown(reps...)), 0o644); err != nil {
				return err
			}
		}
	case "entities":
		g, err := gazetteer.Default()
		if err != nil {
			return err
		}
		rep, err := entities.EvalGUM(ctx, *corpus, entities.New(g))
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, rep)
	case "stories":
		rep, err := cluster.EvalStories(ctx, *corpus, cluster.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, rep)
	case "summaries":
		rep, err := cluster.EvalSummaries(ctx, *corpus, cluster.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, rep)
	default:
		fs.Usage()
		return errUsage
	}
	return nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
