package gazetteer

import (
	"strconv"
	"strings"
)

// Describe returns a one-line description for listings, e.g.
// "Istanbul, Istanbul, Turkey (city, pop. 15,701,602)" or
// "Kurdistan (region: IQ, IR, SY, TR)".
func (p *Place) Describe(g *Gazetteer) string {
	parts := []string{p.Name}
	if p.Kind == KindAdmin2 || p.Kind == KindCity {
		if a, ok := g.Admin1(p.Country, p.Admin1); ok && p.Admin1 != "" && a.ID != p.ID {
			parts = append(parts, a.Name)
		}
	}
	if p.Kind != KindCountry && p.Country != "" {
		if c, ok := g.Country(p.Country); ok {
			parts = append(parts, c.Name)
		}
	}
	var b strings.Builder
	b.WriteString(strings.Join(parts, ", "))
	b.WriteString(" (")
	b.WriteString(p.Kind.String())
	if p.Kind != KindCountry && len(p.Members) > 1 {
		b.WriteString(": ")
		b.WriteString(strings.Join(p.Members, ", "))
	}
	if p.Population > 0 {
		b.WriteString(", pop. ")
		b.WriteString(GroupThousands(p.Population))
	}
	b.WriteString(")")
	return b.String()
}

// GroupThousands writes n with commas between groups of three digits (1,429).
func GroupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
