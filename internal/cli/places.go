package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

func (m *Main) runPlaces(ctx context.Context, args []string) error {
	fs, l := m.flags("places", "search NAME | show ID")
	limit := fs.Int("limit", 10, "results of a search")
	asJSON := fs.Bool("json", false, "print as JSON")
	_, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 || (pos[0] != "search" && pos[0] != "show") {
		fs.Usage()
		return errUsage
	}
	g, err := gazetteer.Default()
	if err != nil {
		return fmt.Errorf("load gazetteer: %w", err)
	}
	if pos[0] == "search" {
		res := g.Search(strings.Join(pos[1:], " "), *limit)
		if *asJSON {
			return writeJSONOut(m, res)
		}
		if len(res) == 0 {
			return fmt.Errorf("no place matches %q", strings.Join(pos[1:], " "))
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPLACE")
		for _, p := range res {
			fmt.Fprintf(tw, "%d\t%s\n", p.ID, p.Describe(g))
		}
		return tw.Flush()
	}
	id, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil {
		return fmt.Errorf("place ID %q: want a GeoNames ID (see places search)", pos[1])
	}
	p, ok := g.Place(id)
	if !ok {
		return fmt.Errorf("no place with ID %d", id)
	}
	if *asJSON {
		return writeJSONOut(m, p)
	}
	fmt.Fprintf(m.Stdout, "%s\n", p.Describe(g))
	fmt.Fprintf(m.Stdout, "  id %d, kind %s, feature %s, at %.4f, %.4f\n", p.ID, p.Kind, p.FeatureCode, p.Lat, p.Lon)
	if len(p.Alt) > 0 {
		alt := p.Alt
		if len(alt) > 12 {
			alt = alt[:12]
		}
		fmt.Fprintf(m.Stdout, "  also: %s\n", strings.Join(alt, "; "))
	}
	if c, ok := g.Country(p.Country); ok && p.Kind == gazetteer.KindCountry {
		fmt.Fprintf(m.Stdout, "  %s / %s; region %s, sub-region %s; population %d; area %.0f km²\n", c.ISO2, c.ISO3, c.Region, c.Subregion, c.Population, c.AreaKm2)
		var nb []string
		for _, b := range g.Neighbours(c.ISO2) {
			name := b.Country
			if bc, ok := g.Country(b.Country); ok {
				name = bc.Name
			}
			if b.LengthKm > 0 {
				name += fmt.Sprintf(" (%.0f km)", b.LengthKm)
			}
			nb = append(nb, name)
		}
		if len(nb) > 0 {
			fmt.Fprintf(m.Stdout, "  land borders: %s\n", strings.Join(nb, ", "))
		}
		if len(p.Members) > 0 {
			fmt.Fprintf(m.Stdout, "  members: %s\n", strings.Join(p.Members, ", "))
		}
	} else if len(p.Members) > 0 {
		fmt.Fprintf(m.Stdout, "  members: %s\n", strings.Join(p.Members, ", "))
	}
	return nil
}

func writeJSONOut(m *Main, v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
