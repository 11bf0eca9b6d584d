package geo

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// TestErrorList writes, with GEO_ERRORS=DIR, one error list per dev geoparse corpus
// (DIR/CORPUS.tsv): false positives (FP), misses (FN), far resolutions (FAR, ≥ 161 km)
// and the rest (TP) under the EUPEG rule, each with its context, for grouping errors by
// cause.
func TestErrorList(t *testing.T) {
	dir := os.Getenv("GEO_ERRORS")
	if dir == "" {
		t.Skip("GEO_ERRORS not set")
	}
	p := parser(t)
	for _, name := range []string{"lgl", "geovirus"} {
		path := sharedtest.Path(t, filepath.Join("data/geoparse/dev", name, name+".jsonl"))
		var b strings.Builder
		err := readCorpus(context.Background(), path, func(d corpusDoc) error {
			r := p.Parse("", d.Text, nil)
			runes := []rune(d.Text)
			ctx := func(s, e int) string {
				a, z := max(0, s-40), min(len(runes), e+40)
				return strings.ReplaceAll(string(runes[a:s])+"[["+string(runes[s:e])+"]]"+string(runes[e:z]), "\n", " ")
			}
			used := make([]bool, len(r.Places))
			for _, g := range d.Toponyms {
				if g.Lat == nil {
					continue
				}
				mg := float64(g.Start+g.End) / 2
				found := -1
				for k, pl := range r.Places {
					if used[k] {
						continue
					}
					if math.Abs(mg-float64(pl.Start+pl.End)/2) < 10 && strings.EqualFold(g.Name, pl.Text) {
						found = k
						break
					}
				}
				if found < 0 {
					fmt.Fprintf(&b, "FN\t%s\t%s\t%.3f,%.3f\t\t%s\n", d.ID, g.Name, *g.Lat, *g.Lon, ctx(g.Start, g.End))
					continue
				}
				used[found] = true
				pl := r.Places[found]
				if km := haversine6371(pl.Lat, pl.Lon, *g.Lat, *g.Lon); km < 161 {
					fmt.Fprintf(&b, "TP\t%s\t%s\t%.3f,%.3f\t%s|%s|%s|%d|%.0fkm|%.3f,%.3f\t%s\n", d.ID, pl.Text, *g.Lat, *g.Lon,
						pl.Name, pl.Kind, pl.Country, pl.GeonameID, km, pl.Lat, pl.Lon, ctx(pl.Start, pl.End))
				} else {
					fmt.Fprintf(&b, "FAR\t%s\t%s\t%.3f,%.3f\t%s|%s|%s|%d|%.0fkm|%.3f,%.3f\t%s\n", d.ID, g.Name, *g.Lat, *g.Lon,
						pl.Name, pl.Kind, pl.Country, pl.GeonameID, km, pl.Lat, pl.Lon, ctx(g.Start, g.End))
				}
			}
			for k, pl := range r.Places {
				if !used[k] {
					fmt.Fprintf(&b, "FP\t%s\t%s\t\t%s|%s|%s|%d\t%s\n", d.ID, pl.Text, pl.Name, pl.Kind, pl.Country, pl.GeonameID, ctx(pl.Start, pl.End))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".tsv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
