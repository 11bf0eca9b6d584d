package topics

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestTaxonomyShape(t *testing.T) {
	tax := Taxonomy()
	seen := map[string]bool{}
	level1 := 0
	for _, s := range tax {
		if seen[s.Slug] {
			t.Errorf("duplicate slug %s", s.Slug)
		}
		seen[s.Slug] = true
		if s.Name == "" || s.Definition == "" {
			t.Errorf("%s: missing name or definition", s.Slug)
		}
		if s.Parent == "" && s.IPTC != "" {
			level1++
		}
	}
	for _, s := range tax {
		if s.Parent != "" && !seen[s.Parent] {
			t.Errorf("%s: unknown parent %s", s.Slug, s.Parent)
		}
	}
	if level1 != 17 {
		t.Errorf("%d level-1 slugs, want 17", level1)
	}
	for _, want := range []string{"policy-and-legislation", "elections", "diplomacy", GeneralNews} {
		if !seen[want] {
			t.Errorf("missing slug %s", want)
		}
	}
	tax[0].Slug = "mutated"
	if Taxonomy()[0].Slug == "mutated" {
		t.Error("Taxonomy returns shared state")
	}
}

func TestTaxonomyIPTCCodesExist(t *testing.T) {
	p := sharedPath(t, "data/topics/iptc_mediatopics.jsonl")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type concept struct {
		Level   int     `json:"level"`
		Retired *string `json:"retired"`
	}
	codes := map[string]concept{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c struct {
			QCode string `json:"qcode"`
			concept
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		codes[c.QCode] = c.concept
	}
	for _, s := range Taxonomy() {
		for _, code := range append([]string{s.IPTC}, s.AlsoIPTC...) {
			if code == "" {
				continue
			}
			c, ok := codes[code]
			switch {
			case !ok:
				t.Errorf("%s: IPTC %s not in %s", s.Slug, code, filepath.Base(p))
			case c.Retired != nil:
				t.Errorf("%s: IPTC %s is retired", s.Slug, code)
			case s.Parent == "" && code == s.IPTC && c.Level != 1:
				t.Errorf("%s: %s is level %d, want 1", s.Slug, code, c.Level)
			}
		}
	}
}

func TestMappingCoversEveryLabel(t *testing.T) {
	slugs := map[string]bool{}
	for _, s := range Taxonomy() {
		slugs[s.Slug] = true
	}
	for ds, m := range labelMapping {
		for label, slug := range m {
			if slug != "" && (!slugs[slug] || slug == GeneralNews) {
				t.Errorf("%s %q maps to %q, not a trainable slug", ds, label, slug)
			}
		}
	}
	for _, d := range datasetFiles {
		t.Run(d.name, func(t *testing.T) {
			p := sharedPath(t, filepath.Join("data/topics", d.file))
			// readDataset fails on any label missing from the table.
			exs, err := readDataset(p, d.name)
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, e := range exs {
				if !slices.Contains(labels, e.label) {
					labels = append(labels, e.label)
				}
			}
			if len(labels) != len(labelMapping[d.name]) {
				t.Errorf("%d labels in data, %d in the table", len(labels), len(labelMapping[d.name]))
			}
		})
	}
}

func TestDatasetOf(t *testing.T) {
	for in, want := range map[string]string{"/x/bbc.dev.jsonl": "bbc", "agnews_test.test.jsonl": "agnews",
		"HUFFPOST_v3.jsonl": "huffpost", "other.jsonl": ""} {
		if got := datasetOf(in); got != want {
			t.Errorf("datasetOf(%q) = %q, want %q", in, got, want)
		}
	}
}
