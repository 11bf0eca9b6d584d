package web

import (
	"bytes"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/maps"
)

type placeData struct {
	Place        *gazetteer.Place
	Key          string // GeoNames ID
	Describe     string
	Kind         string
	Facts        []fact
	Neighbours   []link
	NeighboursOf string // the country whose neighbours they are, for a place inside it
	Blocs        []string
	Members      []link
	Map          template.HTML
	Groups       []tierGroup
	Considered   int
	Shown        int
	PerTier      int
	BriefURL     string
}

type fact struct {
	Label, Value, URL string
}

type link struct {
	Text, URL, Note string
}

type tierGroup struct {
	Tier  lens.Tier
	Info  string
	Items []itemView
	Total int // stories at this tier, shown or not
}

// placeStoriesPerTier is how many stories the place page lists for each
// tier, the most relevant first.
const placeStoriesPerTier = 6

// placeTiers are the tiers the place page samples, closest first: every
// tier but distant.
var placeTiers = []lens.Tier{lens.Here, lens.National, lens.Party, lens.Neighbour, lens.Nearby, lens.Regional, lens.Tied}

func (s *Site) place(w http.ResponseWriter, r *http.Request) (*view, error) {
	g := s.gaz()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, notFound("A place is named by its GeoNames ID, a number.")
	}
	p, ok := g.Place(id)
	if !ok {
		return nil, notFound("No place has the GeoNames ID " + strconv.FormatInt(id, 10) + ".")
	}
	key := strconv.FormatInt(p.ID, 10)
	d := &placeData{Place: p, Key: key, Describe: p.Describe(g), Kind: p.Kind.String(), BriefURL: briefURL(key, nil), PerTier: placeStoriesPerTier}
	countryLink := func(iso string) (string, string) {
		c, ok := g.Country(iso)
		if !ok {
			return iso, ""
		}
		if c.Place != nil && c.Place.ID != 0 {
			return c.Name, "/places/" + strconv.FormatInt(c.Place.ID, 10)
		}
		return c.Name, ""
	}
	if p.Kind != gazetteer.KindCountry && p.Country != "" {
		name, u := countryLink(p.Country)
		d.Facts = append(d.Facts, fact{Label: "Country", Value: name, URL: u})
		if (p.Kind == gazetteer.KindCity || p.Kind == gazetteer.KindAdmin2) && p.Admin1 != "" {
			if a, ok := g.Admin1(p.Country, p.Admin1); ok && a.ID != p.ID {
				d.Facts = append(d.Facts, fact{Label: "Region", Value: a.Name, URL: "/places/" + strconv.FormatInt(a.ID, 10)})
			}
		}
	}
	if p.Population > 0 {
		d.Facts = append(d.Facts, fact{Label: "Population", Value: thousands(p.Population)})
	}
	if p.HasPoint() {
		d.Facts = append(d.Facts, fact{Label: "Coordinates", Value: strconv.FormatFloat(p.Lat, 'f', 3, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', 3, 64)})
	}
	if p.Timezone != "" {
		d.Facts = append(d.Facts, fact{Label: "Time zone", Value: p.Timezone})
	}
	iso := p.Country
	if c, ok := g.Country(iso); ok {
		if p.Kind == gazetteer.KindCountry {
			if c.OfficialName != "" && c.OfficialName != c.Name {
				d.Facts = append(d.Facts, fact{Label: "Official name", Value: c.OfficialName})
			}
			if cap, ok := g.Place(c.Capital); ok {
				d.Facts = append(d.Facts, fact{Label: "Capital", Value: cap.Name, URL: "/places/" + strconv.FormatInt(cap.ID, 10)})
			}
			if c.AreaKm2 > 0 {
				d.Facts = append(d.Facts, fact{Label: "Area", Value: thousands(int64(math.Round(c.AreaKm2))) + " km²"})
			}
		}
		if c.Subregion != "" {
			d.Facts = append(d.Facts, fact{Label: "UN sub-region", Value: c.Subregion})
		} else if c.Region != "" {
			d.Facts = append(d.Facts, fact{Label: "UN region", Value: c.Region})
		}
		if p.Kind != gazetteer.KindCountry {
			d.NeighboursOf = c.Name
		}
		for _, b := range c.Neighbours {
			name, u := countryLink(b.Country)
			n := link{Text: name, URL: u}
			if b.LengthKm > 0 {
				n.Note = thousands(int64(math.Round(b.LengthKm))) + " km of border"
			}
			d.Neighbours = append(d.Neighbours, n)
		}
		for _, m := range g.Blocs(iso, time.Now()) {
			name := m.Bloc
			if full := blocNames[m.Bloc]; full != "" {
				name = full + " (" + m.Bloc + ")"
			}
			d.Blocs = append(d.Blocs, name)
		}
	}
	for _, m := range p.Members {
		name, u := countryLink(m)
		d.Members = append(d.Members, link{Text: name, URL: u})
	}

	var b bytes.Buffer
	if err := maps.Render(&b, g, placeMap(p)); err != nil {
		return nil, err
	}
	d.Map = template.HTML(b.String()) // maps.Render escapes all text it writes

	reader, err := lens.ResolvePlace(g, key)
	if err != nil {
		return nil, err
	}
	// A sample of each tier: one briefing per tier, so a place whose news
	// is mostly national still shows its neighbours' and region's stories.
	for _, t := range placeTiers {
		br, err := s.engine().Brief(r.Context(), lens.Query{Reader: reader, Limit: placeStoriesPerTier, Unaffected: -1, OnlyTier: t})
		if err != nil {
			return nil, err
		}
		d.Considered += br.Considered
		if len(br.Items) == 0 {
			continue
		}
		grp := tierGroup{Tier: t, Info: tierInfo[t], Total: br.Considered}
		for i := range br.Items {
			it := &br.Items[i]
			grp.Items = append(grp.Items, itemView{Story: it.Story, Lens: &it.Lens, URL: storyURL(it.Story.ID, key, nil),
				Topics: storyTopics(it.Story), N: len(grp.Items) + 1, Level: 4})
		}
		d.Shown += len(grp.Items)
		d.Groups = append(d.Groups, grp)
	}
	return &view{Name: "place", Title: p.Name, Data: d}, nil
}

// blocNames spells out bloc abbreviations.
var blocNames = map[string]string{
	"EU": "European Union", "NATO": "North Atlantic Treaty Organization", "GCC": "Gulf Cooperation Council",
	"LAS": "Arab League", "OPEC": "Organization of the Petroleum Exporting Countries",
	"ASEAN": "Association of Southeast Asian Nations", "AU": "African Union", "SCO": "Shanghai Cooperation Organisation",
	"G7": "Group of Seven", "G20": "Group of Twenty",
}

// placeMap shows a place in its surroundings: a country or region outlined,
// a smaller place marked in a box of a few hundred kilometres with its
// country outlined.
func placeMap(p *gazetteer.Place) maps.Spec {
	spec := maps.Spec{Title: "Map of " + p.Name, Width: 480, Height: 300}
	switch {
	case p.Kind == gazetteer.KindCountry && p.Country != "":
		spec.Outline = []string{p.Country}
	case len(p.Members) > 0:
		spec.Outline = slices.Clone(p.Members)
	default:
		if p.Country != "" {
			spec.Outline = []string{p.Country}
		}
		if p.HasPoint() {
			spec.Markers = []maps.Marker{{Lat: p.Lat, Lon: p.Lon, Label: p.Name, Kind: maps.MarkerReader}}
			dLat := 4.0
			dLon := dLat * 1.6 / math.Max(0.2, math.Cos(p.Lat*math.Pi/180))
			spec.Bounds = &maps.Box{MinLat: math.Max(-89, p.Lat-dLat), MaxLat: math.Min(89, p.Lat+dLat),
				MinLon: normLon(p.Lon - dLon), MaxLon: normLon(p.Lon + dLon)}
		}
	}
	return spec
}

// normLon maps a longitude to [-180, 180).
func normLon(lon float64) float64 {
	return math.Mod(math.Mod(lon+180, 360)+360, 360) - 180
}
