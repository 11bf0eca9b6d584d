package gazetteer

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"
)

//go:embed blocs.tsv
var blocsTSV string

func parseBlocs(s string) ([]Membership, error) {
	var out []Membership
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 {
			return nil, fmt.Errorf("gazetteer: blocs.tsv:%d: want 4 or 5 fields", n+1)
		}
		m := Membership{Bloc: f[0], Country: f[1]}
		var err error
		if m.Joined, err = time.Parse(time.DateOnly, f[2]); err != nil {
			return nil, fmt.Errorf("gazetteer: blocs.tsv:%d: %w", n+1, err)
		}
		if f[3] != "" {
			if m.Left, err = time.Parse(time.DateOnly, f[3]); err != nil {
				return nil, fmt.Errorf("gazetteer: blocs.tsv:%d: %w", n+1, err)
			}
		}
		if len(f) > 4 {
			m.Note = f[4]
		}
		out = append(out, m)
	}
	return out, nil
}

// Blocs returns the country's memberships active at t (any time zone; compared by
// instant with UTC midnight dates), sorted by bloc.
func (g *Gazetteer) Blocs(iso2 string, at time.Time) []Membership {
	iso2 = strings.ToUpper(iso2)
	var out []Membership
	for _, m := range g.blocs {
		if m.Country == iso2 && m.Active(at) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Membership) int { return strings.Compare(a.Bloc, b.Bloc) })
	return out
}

// BlocMembers returns the ISO2 codes of the bloc's members at t, sorted. Bloc names are
// those of blocs.tsv: EU, NATO, GCC, LAS (Arab League), OPEC, ASEAN, AU, BRICS, SCO, G7,
// G20; "Arab League" and "African Union" are accepted too.
func (g *Gazetteer) BlocMembers(bloc string, at time.Time) []string {
	bloc = blocAlias(bloc)
	var out []string
	for _, m := range g.blocs {
		if m.Bloc == bloc && m.Active(at) && !slices.Contains(out, m.Country) {
			out = append(out, m.Country)
		}
	}
	slices.Sort(out)
	return out
}

// BlocHistory returns every membership period of a bloc, in table order.
func (g *Gazetteer) BlocHistory(bloc string) []Membership {
	bloc = blocAlias(bloc)
	var out []Membership
	for _, m := range g.blocs {
		if m.Bloc == bloc {
			out = append(out, m)
		}
	}
	return out
}

// BlocNames lists the blocs in the table.
func (g *Gazetteer) BlocNames() []string {
	var out []string
	for _, m := range g.blocs {
		if !slices.Contains(out, m.Bloc) {
			out = append(out, m.Bloc)
		}
	}
	return out
}

func blocAlias(s string) string {
	switch Normalize(s) {
	case "arab league", "league of arab states", "las":
		return "LAS"
	case "african union", "au":
		return "AU"
	case "european union", "eu":
		return "EU"
	case "g 7", "g7", "group of seven":
		return "G7"
	case "g 20", "g20", "group of twenty":
		return "G20"
	case "gulf cooperation council", "gcc":
		return "GCC"
	}
	return strings.ToUpper(s)
}
