// Command gen trains the topic classifier from the shared labelled data and
// writes the weights file embedded by package topics; with -eval it prints the
// cross-validated evaluation of every labelled set instead.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vantage-news/vantage/internal/topics"
)

func main() {
	data := flag.String("data", "../../../shared/data/topics", "directory of the labelled sets and iptc_mediatopics.jsonl")
	out := flag.String("out", "model/topics.bin.gz", "weights file to write")
	eval := flag.Bool("eval", false, "print the k-fold evaluation of every labelled set instead of training")
	folds := flag.Int("folds", 5, "folds for -eval")
	flag.Parse()
	if err := run(context.Background(), *data, *out, *eval, *folds); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, data, out string, eval bool, folds int) error {
	if eval {
		for _, f := range []string{"bbc.dev.jsonl", "agnews_test.dev.jsonl", "huffpost_v3_first10k.dev.jsonl"} {
			rep, err := topics.Evaluate(ctx, filepath.Join(data, f), nil, topics.EvalOptions{DataDir: data, Folds: folds})
			if err != nil {
				return err
			}
			fmt.Println(rep)
		}
		return nil
	}
	m, rep, err := topics.Train(ctx, data, topics.TrainOptions{})
	if err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, rep)
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes)\n", out, buf.Len())
	return nil
}
