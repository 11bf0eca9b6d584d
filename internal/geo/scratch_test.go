package geo

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

func TestScratch(t *testing.T) {
	t0 := time.Now()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("load", time.Since(t0), g.Len(), g.NameCount())
	hist := map[int]int{}
	n := 0
	maxTok := 0
	for k, ids := range g.Names() {
		c := strings.Count(k, " ") + 1
		hist[c]++
		n += len(ids)
		if c > maxTok {
			maxTok = c
		}
	}
	fmt.Println(hist, n, maxTok)
	for _, q := range []string{"Georgia", "Jordan", "Paris", "Washington", "Alexandria", "Page", "US", "U.S.", "Texas", "TX", "Baghdad", "Iran", "Kurdistan", "England", "Gulf", "Middle East", "Reading", "Of", "Man", "Most", "Rapides Parish", "Avoyelles", "Washington, D.C.", "Dublin Road", "New York", "Louisiana", "La", "IN", "Cottonport"} {
		ps := g.Lookup(q)
		fmt.Printf("%q %d:", q, len(ps))
		for i, p := range ps {
			if i > 6 {
				break
			}
			fmt.Printf(" [%d %s %s %s/%s pop%d %s]", p.ID, p.Name, p.Kind, p.Country, p.Admin1, p.Population, p.FeatureCode)
		}
		fmt.Println()
	}
	for _, q := range []string{"Iranian", "Kurdish", "Iraqi", "American", "Texan", "British", "Israeli", "French"} {
		ps, _ := g.Demonym(q)
		fmt.Printf("%q:", q)
		for _, p := range ps {
			fmt.Printf(" [%d %s %s]", p.ID, p.Name, p.Kind)
		}
		fmt.Println()
	}
}
