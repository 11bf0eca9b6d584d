package topics

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// tinyExamples is a small in-test training set.
func tinyExamples() []example {
	sport := []string{"striker scored goal in the cup final", "the team won the league title match",
		"coach praised the players after the match", "goalkeeper saved penalty in the final"}
	pol := []string{"parliament voted on the government bill", "the minister announced a new policy",
		"opposition party criticised the prime minister", "the senate passed the budget law"}
	biz := []string{"shares rose as profits beat forecasts", "the bank raised interest rates",
		"company sales fell in the quarter", "investors sold shares as markets fell"}
	var out []example
	for i := range sport {
		out = append(out,
			example{dataset: "bbc", id: fmt.Sprint("s", i), slug: "sport", title: sport[i], text: sport[i]},
			example{dataset: "bbc", id: fmt.Sprint("p", i), slug: "politics", title: pol[i], text: pol[i]},
			example{dataset: "bbc", id: fmt.Sprint("b", i), slug: "economy-business-finance", title: biz[i], text: biz[i]})
	}
	return out
}

func TestTrainDeterministic(t *testing.T) {
	ctx := context.Background()
	opts := TrainOptions{Epochs: 5}
	var outs [2][]byte
	for i := range outs {
		m, rep, err := trainExamples(ctx, tinyExamples(), nil, opts)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Examples["bbc"] != 12 {
			t.Errorf("report: %d examples", rep.Examples["bbc"])
		}
		var buf bytes.Buffer
		if _, err := m.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		outs[i] = buf.Bytes()
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two trainings on the same data differ")
	}
	m, err := ReadModel(bytes.NewReader(outs[0]))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ title, text, want string }{
		{"final", "the striker scored a goal", "sport"},
		{"vote", "parliament passed the bill", "politics"},
		{"markets", "shares fell on profits", "economy-business-finance"},
	}
	for _, tc := range tests {
		labels := []string{"sport", "politics", "economy-business-finance"}
		if got := argmaxSlug(m.Scores(tc.title, tc.text), labels); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.text, got, tc.want)
		}
	}
	// A different seed changes the weights.
	m2, _, err := trainExamples(ctx, tinyExamples(), nil, TrainOptions{Epochs: 5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m2.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(buf.Bytes(), outs[0]) {
		t.Error("seed has no effect")
	}
}

func TestTrainCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := trainExamples(ctx, tinyExamples(), nil, TrainOptions{}); err == nil {
		t.Error("want an error from a cancelled context")
	}
}

func TestReadModelRejectsGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("not gzip"), embeddedModel[:len(embeddedModel)/2]} {
		if _, err := ReadModel(bytes.NewReader(in)); err == nil {
			t.Errorf("ReadModel(%d bytes): no error", len(in))
		}
	}
}
