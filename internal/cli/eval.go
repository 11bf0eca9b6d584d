package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/topics"
)

const evalUsage = `extract --corpus DIR | topics --corpus FILE.jsonl [--data DIR]`

func (m *Main) runEval(ctx context.Context, args []string) error {
	fs, l := m.flags("eval", evalUsage)
	corpus := fs.String("corpus", "", "labelled corpus (file or directory, see each eval)")
	data := fs.String("data", "", "topics: directory of the labelled training sets (default: the corpus's directory)")
	folds := fs.Int("folds", 5, "topics: folds of cross-validation when the corpus is a training set")
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
	default:
		fs.Usage()
		return errUsage
	}
	return nil
}
