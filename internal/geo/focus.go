package geo

import (
	"cmp"
	"slices"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Focus levels, as the Kind of an article.Focus.
const (
	LevelCountry = "country"
	LevelAdmin1  = "admin1"
	LevelCity    = "city"
)

type focusKey struct {
	level string
	id    int64
}

type focusAcc struct {
	w     map[focusKey]float64
	names map[focusKey]article.Focus
}

func newFocusAcc() *focusAcc {
	return &focusAcc{w: map[focusKey]float64{}, names: map[focusKey]article.Focus{}}
}

func (a *focusAcc) add(level string, p *gazetteer.Place, w float64) {
	if p == nil || w <= 0 {
		return
	}
	k := focusKey{level, p.ID}
	a.w[k] += w
	if _, ok := a.names[k]; !ok {
		a.names[k] = article.Focus{GeonameID: p.ID, Name: p.Name, Kind: level, Country: p.Country}
	}
}

// focus weighs the document's places. A mention weighs 1, times TitleWeight in the
// title, LeadWeight in the first two sentences, DatelineWeight in a dateline,
// AdjectiveWeight for a demonym and PassingWeight for a passing mention (a name made once,
// outside title and lead, in the last fifth of the text). A country gets the weight of its
// own mentions plus 0.8 of its divisions' and cities'; an admin-1 region its own plus 0.8 of
// its cities'; a region with at most four member countries ("Kurdistan") spreads 0.5 of its
// weight over them. Each level is normalised to sum 1.
func (p *Parser) focus(ms []mention) []article.Focus {
	o := p.opts
	count := map[int64]int{}
	prominent := map[int64]bool{}
	for i := range ms {
		if b := ms[i].best; b != nil {
			count[b.ID]++
			if ms[i].inTitle || ms[i].lead || ms[i].dateline {
				prominent[b.ID] = true
			}
		}
	}
	acc := newFocusAcc()
	for i := range ms {
		m := &ms[i]
		b := m.best
		if b == nil {
			continue
		}
		w := 1.0
		switch {
		case m.inTitle:
			w *= o.TitleWeight
		case m.dateline:
			w *= o.DatelineWeight
		case m.lead:
			w *= o.LeadWeight
		}
		if m.adjective {
			w *= o.AdjectiveWeight
		}
		if count[b.ID] == 1 && !prominent[b.ID] && m.pos > 0.8 {
			w *= o.PassingWeight
		}
		country := func() *gazetteer.Place {
			if c, ok := p.g.Country(b.Country); ok && c.Place != nil {
				return c.Place
			}
			return nil
		}
		switch b.Kind {
		case gazetteer.KindCountry:
			acc.add(LevelCountry, b, w)
		case gazetteer.KindAdmin1:
			acc.add(LevelAdmin1, b, w)
			acc.add(LevelCountry, country(), 0.8*w)
		case gazetteer.KindCity, gazetteer.KindAdmin2:
			if b.Kind == gazetteer.KindCity {
				acc.add(LevelCity, b, w)
			}
			if a1, ok := p.g.Admin1(b.Country, b.Admin1); ok {
				acc.add(LevelAdmin1, a1, 0.8*w)
			}
			acc.add(LevelCountry, country(), 0.8*w)
		case gazetteer.KindRegion, gazetteer.KindHotspot, gazetteer.KindContinent, gazetteer.KindWater,
			gazetteer.KindLandform:
			if b.Country != "" {
				acc.add(LevelCountry, country(), 0.8*w)
			} else if n := len(b.Members); n > 0 && n <= 4 {
				for _, cc := range b.Members {
					if c, ok := p.g.Country(cc); ok && c.Place != nil {
						acc.add(LevelCountry, c.Place, 0.5*w/float64(n))
					}
				}
			}
		}
	}
	return acc.result(o.MaxFocus)
}

// result normalises each level to sum 1 and keeps the top n of each, countries first.
func (a *focusAcc) result(n int) []article.Focus {
	var out []article.Focus
	for _, level := range []string{LevelCountry, LevelAdmin1, LevelCity} {
		total := 0.0
		var fs []article.Focus
		for k, w := range a.w {
			if k.level != level {
				continue
			}
			total += w
			f := a.names[k]
			f.Weight = w
			fs = append(fs, f)
		}
		slices.SortFunc(fs, func(x, y article.Focus) int {
			if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
				return c
			}
			return cmp.Compare(x.GeonameID, y.GeonameID)
		})
		if len(fs) > n {
			fs = fs[:n]
		}
		for i := range fs {
			fs[i].Weight = round3(fs[i].Weight / total)
		}
		out = append(out, fs...)
	}
	return out
}

// StoryFocus aggregates the focus of a story's articles: each article's weights count
// equally, and each level is normalised again to sum 1 (top n per level, n = 5 when 0).
func StoryFocus(docs [][]article.Focus, n int) []article.Focus {
	if n <= 0 {
		n = 5
	}
	acc := &focusAcc{w: map[focusKey]float64{}, names: map[focusKey]article.Focus{}}
	for _, fs := range docs {
		for _, f := range fs {
			k := focusKey{f.Kind, f.GeonameID}
			acc.w[k] += f.Weight
			if _, ok := acc.names[k]; !ok {
				g := f
				g.Weight = 0
				acc.names[k] = g
			}
		}
	}
	return acc.result(n)
}

// FocusCountries returns the ISO2 codes of the focus countries in a focus list: the
// countries whose weight is at least half the top country's, best first.
func FocusCountries(fs []article.Focus) []string {
	var out []string
	top := 0.0
	for _, f := range fs {
		if f.Kind != LevelCountry {
			continue
		}
		if top == 0 {
			top = f.Weight
		}
		if f.Weight >= top/2 && f.Country != "" {
			out = append(out, f.Country)
		}
	}
	return out
}
