// Package gazetteer owns Vantage's embedded world gazetteer: countries (names, demonyms,
// neighbours, UN regions, bloc memberships, polygons), admin regions, populated places,
// continents, named regions, seas and news hotspots, with lookups by id, name and point.
//
// The data is built from ../shared/data/gazetteer by `go generate` (see package build)
// into data/gazetteer.bin.gz, which is embedded; data/NOTICE credits the sources.
package gazetteer

//go:generate go run ../../cmd/gazetteer-build -src ../shared/data/gazetteer -out internal/gazetteer/data/gazetteer.bin.gz

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/gazetteer/artifact"
	"github.com/vantage-news/vantage/internal/gazetteer/names"
)

//go:embed data/gazetteer.bin.gz
var embedded []byte

// Kind is the type of a place.
type Kind uint8

// Place kinds.
const (
	KindContinent Kind = Kind(artifact.KindContinent)
	KindRegion    Kind = Kind(artifact.KindRegion) // world region, UN region or grouping (Middle East, Sahel)
	KindCountry   Kind = Kind(artifact.KindCountry)
	KindAdmin1    Kind = Kind(artifact.KindAdmin1) // first-level division (state, province)
	KindAdmin2    Kind = Kind(artifact.KindAdmin2) // second-level division (county, district)
	KindCity      Kind = Kind(artifact.KindCity)   // populated place
	KindWater     Kind = Kind(artifact.KindWater)  // ocean, sea, gulf, strait, canal
	KindLandform  Kind = Kind(artifact.KindLandform)
	KindHotspot   Kind = Kind(artifact.KindHotspot) // disputed or newsworthy area (Gaza Strip, Donbas)
)

var kindNames = map[Kind]string{KindContinent: "continent", KindRegion: "region", KindCountry: "country",
	KindAdmin1: "admin1", KindAdmin2: "admin2", KindCity: "city", KindWater: "water", KindLandform: "landform",
	KindHotspot: "hotspot"}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Place is a named feature. IDs are GeoNames ids; places GeoNames lacks have negative ids
// (small ones for the hand-written hotspots, below -1e9 for Natural Earth features), stable
// across builds.
type Place struct {
	ID          int64
	Name        string // English or local name as GeoNames gives it
	ASCII       string
	Alt         []string // alternate names (Latin script), without Name
	Kind        Kind
	Country     string // ISO2; "" for features that belong to no single country
	Admin1      string // GeoNames admin1 code (e.g. "34" for Istanbul province)
	Admin2      string
	Lat, Lon    float64 // degrees; 0,0 when unknown
	Population  int64
	Timezone    string   // IANA zone; "" when unknown
	FeatureCode string   // GeoNames feature code (PPLC, ADM1, SEA ...); HOT for hand-written hotspots
	Members     []string // ISO2 member countries of a continent, region or hotspot
}

// HasPoint reports whether the place has a coordinate.
func (p *Place) HasPoint() bool { return p.Lat != 0 || p.Lon != 0 }

// Border is a land border.
type Border struct {
	Country  string  // ISO2 of the neighbour
	LengthKm float64 // from the Factbook; 0 when unknown
}

// Country describes a country or territory with an ISO 3166-1 code.
type Country struct {
	ISO2, ISO3   string
	Numeric      int
	Name         string // short English name used in news ("Turkey", "Palestine")
	OfficialName string
	Place        *Place // the country as a place: names, centre point, population
	Capital      int64  // GeoNames id of the capital; 0 when unknown
	AreaKm2      float64
	Population   int64
	Continent    string // GeoNames continent code: AF AS EU NA OC SA AN
	// UN M49 (UNSD) region, sub-region and intermediate region, with their codes.
	Region, Subregion, IntermediateRegion             string
	RegionCode, SubregionCode, IntermediateRegionCode int
	Neighbours                                        []Border

	rings []ring
	bbox  box
}

// Gazetteer is the decoded gazetteer. It is safe for concurrent use.
type Gazetteer struct {
	places    []Place
	byID      map[int64]int32
	countries []*Country
	byISO     map[string]*Country
	admin     map[string]*Place // "CC.A1" and "CC.A1.A2"
	names     []artifact.Name
	demonyms  []artifact.Demonym
	labels    map[int64][2]float64
	blocs     []Membership

	idsOnce sync.Once
	ids     []int64 // place ids in the order of the names' postings

	ptrsOnce sync.Once
	ptrs     []*Place // places in the order of the names' postings

	mu      sync.Mutex
	borders map[[2]string][][][2]float64
}

// Load decodes the embedded gazetteer. It takes about a tenth of a second; call it once
// and share the result (or use Default).
func Load() (*Gazetteer, error) {
	return decode(embedded)
}

// Default returns a gazetteer loaded once per process.
var Default = sync.OnceValues(Load)

func decode(gz []byte) (*Gazetteer, error) {
	g := &Gazetteer{
		admin:   make(map[string]*Place, 50000),
		borders: map[[2]string][][][2]float64{},
	}
	// Places are copied in as they are decoded, overlapping the decompression.
	d, err := artifact.DecodeFunc(gz, func(i, n int, a *artifact.Place) {
		if g.places == nil {
			g.places = make([]Place, n)
			g.byID = make(map[int64]int32, n)
		}
		p := &g.places[i]
		*p = Place{ID: a.ID, Name: a.Name, ASCII: a.ASCII, Alt: a.Alt, Kind: Kind(a.Kind), Country: a.Country,
			Admin1: a.Admin1, Admin2: a.Admin2, Lat: float64(a.Lat) / 1e5, Lon: float64(a.Lon) / 1e5,
			Population: a.Population, Timezone: a.Timezone, FeatureCode: a.FeatureCode, Members: a.Members}
		g.byID[a.ID] = int32(i)
		switch p.Kind {
		case KindAdmin1:
			g.admin[p.Country+"."+p.Admin1] = p
		case KindAdmin2:
			g.admin[p.Country+"."+p.Admin1+"."+p.Admin2] = p
		}
	})
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g.names, g.demonyms = d.Names, d.Demonyms
	g.labels = make(map[int64][2]float64, len(d.Labels))
	for _, l := range d.Labels {
		g.labels[l.ID] = [2]float64{float64(l.Lat) / 1e5, float64(l.Lon) / 1e5}
	}
	g.byISO = make(map[string]*Country, len(d.Countries))
	for i := range d.Countries {
		a := &d.Countries[i]
		c := &Country{ISO2: a.ISO2, ISO3: a.ISO3, Numeric: int(a.Numeric), Name: a.Name, OfficialName: a.Official,
			Capital: a.Capital, AreaKm2: float64(a.AreaKm2) / 100, Population: a.Population, Continent: a.Continent,
			Region: a.Region, Subregion: a.Subregion, IntermediateRegion: a.Intermediate,
			RegionCode: int(a.RegionCode), SubregionCode: int(a.SubregionCode), IntermediateRegionCode: int(a.IntermediateCod)}
		c.Place, _ = g.Place(a.PlaceID)
		for _, b := range a.Neighbours {
			c.Neighbours = append(c.Neighbours, Border{Country: b.Country, LengthKm: float64(b.CentiKm) / 100})
		}
		c.rings, c.bbox = makeRings(a.Rings)
		g.countries = append(g.countries, c)
		g.byISO[c.ISO2] = c
	}
	g.blocs, err = parseBlocs(blocsTSV)
	if err != nil {
		return nil, err
	}
	return g, nil
}

// LabelPoint returns the conventional label point of a first-level division (Natural
// Earth's admin-1 label point of its main part), when the build found one. A place's own
// point is its seat; the label point is where maps put its name.
func (g *Gazetteer) LabelPoint(id int64) (lat, lon float64, ok bool) {
	p, ok := g.labels[id]
	return p[0], p[1], ok
}

// Place returns the place with a GeoNames (or synthetic, negative) id.
func (g *Gazetteer) Place(id int64) (*Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return nil, false
	}
	return &g.places[i], true
}

// Places iterates over every place, most important kinds first (continents, countries,
// regions, hotspots, admin1, water, landforms, cities, admin2), then by population.
func (g *Gazetteer) Places() func(yield func(*Place) bool) {
	return func(yield func(*Place) bool) {
		for i := range g.places {
			if !yield(&g.places[i]) {
				return
			}
		}
	}
}

// Len is the number of places.
func (g *Gazetteer) Len() int { return len(g.places) }

// Country returns a country by ISO 3166-1 alpha-2 code (case-insensitive).
func (g *Gazetteer) Country(iso2 string) (*Country, bool) {
	c, ok := g.byISO[strings.ToUpper(iso2)]
	return c, ok
}

// Countries returns every country, sorted by ISO2.
func (g *Gazetteer) Countries() []*Country { return slices.Clone(g.countries) }

// Neighbours returns the land neighbours of a country (GeoNames, mledoze and Factbook
// combined; lengths from the Factbook).
func (g *Gazetteer) Neighbours(iso2 string) []Border {
	c, ok := g.Country(iso2)
	if !ok {
		return nil
	}
	return slices.Clone(c.Neighbours)
}

// Region returns a country's UN M49 region ("Asia") and Subregion its sub-region
// ("Western Asia"); both are "" for unknown countries.
func (g *Gazetteer) Region(iso2 string) string {
	if c, ok := g.Country(iso2); ok {
		return c.Region
	}
	return ""
}

// Subregion returns a country's UN M49 sub-region.
func (g *Gazetteer) Subregion(iso2 string) string {
	if c, ok := g.Country(iso2); ok {
		return c.Subregion
	}
	return ""
}

// Admin1 returns a first-level division by country and GeoNames admin1 code ("TR", "34").
func (g *Gazetteer) Admin1(country, code string) (*Place, bool) {
	p, ok := g.admin[strings.ToUpper(country)+"."+code]
	return p, ok
}

// Admin2 returns a second-level division by country, admin1 and admin2 codes.
func (g *Gazetteer) Admin2(country, admin1, code string) (*Place, bool) {
	p, ok := g.admin[strings.ToUpper(country)+"."+admin1+"."+code]
	return p, ok
}

// Normalize returns the match key of a name: NFKD, diacritics stripped, lower case,
// apostrophes and full stops dropped, other punctuation and spaces collapsed to one space
// ("St. John's" -> "st johns"). Lookup, Names and Demonyms use these keys.
func Normalize(s string) string { return names.Normalize(s) }

// Membership is a country's membership of a bloc over a period.
type Membership struct {
	Bloc    string // EU, NATO, GCC, LAS, OPEC, ASEAN, AU, BRICS, SCO, G7, G20
	Country string // ISO2
	Joined  time.Time
	Left    time.Time // zero while a member
	Note    string
}

// Active reports whether the membership covers the day of t (Joined <= t < Left).
func (m Membership) Active(t time.Time) bool {
	return !t.Before(m.Joined) && (m.Left.IsZero() || t.Before(m.Left))
}
