package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/vantage-news/vantage/internal/topics"
)

func (m *Main) runTopics(ctx context.Context, args []string) error {
	fs, l := m.flags("topics", "list")
	asJSON := fs.Bool("json", false, "print as JSON")
	_, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "list" {
		fs.Usage()
		return errUsage
	}
	tax := topics.Taxonomy()
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(tax)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tIPTC\tNAME\tPARENT")
	for _, s := range tax {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Slug, s.IPTC, s.Name, s.Parent)
	}
	return tw.Flush()
}

func (m *Main) runTrain(ctx context.Context, args []string) error {
	fs, l := m.flags("train", "topics --data DIR --out FILE")
	data := fs.String("data", "../shared/data/topics", "directory of the labelled sets")
	out := fs.String("out", "internal/topics/model/topics.bin.gz", "weights file to write")
	_, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "topics" {
		fs.Usage()
		return errUsage
	}
	model, rep, err := topics.Train(ctx, *data, topics.TrainOptions{})
	if err != nil {
		return err
	}
	fmt.Fprint(m.Stdout, rep)
	var buf bytes.Buffer
	if _, err := model.WriteTo(&buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "wrote %s (%d bytes)\n", *out, buf.Len())
	return nil
}
