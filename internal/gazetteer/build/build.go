// Package build turns the source tables in ../shared/data/gazetteer into the gazetteer
// artifact: it reads GeoNames, Natural Earth, mledoze, i18n-iso-countries, the Factbook,
// UNSD M49, mordecai and the hand-written tables beside this file.
package build

import (
	"cmp"
	_ "embed"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/vantage-news/vantage/internal/gazetteer/artifact"
	"github.com/vantage-news/vantage/internal/gazetteer/names"
)

//go:embed country_names.tsv
var countryNamesTSV string

//go:embed hotspots.tsv
var hotspotsTSV string

//go:embed adjectives.tsv
var adjectivesTSV string

// Tolerance is the Douglas–Peucker tolerance, in degrees, for country polygons.
const Tolerance = 0.01

// Write builds the artifact from the source folder src and writes it to w.
func Write(src string, w io.Writer) error {
	d, err := Build(src)
	if err != nil {
		return err
	}
	return artifact.Encode(w, d)
}

type country struct {
	artifact.Country
	lat, lon  float64
	alt       []string
	demonyms  []string
	capName   string
	neighbour map[string]float64 // ISO2 -> km (0 unknown)
}

type builder struct {
	src       string
	places    map[int64]*artifact.Place
	keys      map[int64]map[string]bool
	countries map[string]*country
	iso3      map[string]string // ISO3 -> ISO2
	admin1    map[string]*artifact.Place
	admin2    map[string]*artifact.Place
	demonyms  map[string]*demonym
	cityTZ    map[string]string   // "CC.A1" and "CC.A1.A2" -> timezone of the biggest city
	cityPt    map[string][2]int32 // "CC.A1.A2" -> point of the biggest city
	labels    map[int64][2]int32  // admin-1 id -> Natural Earth label point
}

type demonym struct {
	form    string
	targets []int64
	hand    bool
}

// Build reads every source table and returns the artifact data.
func Build(src string) (*artifact.Data, error) {
	b := &builder{
		src:       src,
		places:    map[int64]*artifact.Place{},
		keys:      map[int64]map[string]bool{},
		countries: map[string]*country{},
		iso3:      map[string]string{},
		admin1:    map[string]*artifact.Place{},
		admin2:    map[string]*artifact.Place{},
		labels:    map[int64][2]int32{},
		demonyms:  map[string]*demonym{},
		cityTZ:    map[string]string{},
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"countryInfo", b.countryInfo},
		{"mledoze", b.mledoze},
		{"i18n names", b.i18nNames},
		{"factbook", b.factbook},
		{"m49", b.m49},
		{"news names", b.newsNames},
		{"cities", b.cities},
		{"admin1", b.admin1Codes},
		{"admin2", b.admin2Codes},
		{"country places", b.countryPlaces},
		{"no-country", b.noCountry},
		{"natural earth features", b.naturalEarthFeatures},
		{"hotspots", b.hotspots},
		{"region members", b.regionMembers},
		{"demonyms", b.countryDemonyms},
		{"adjectives", b.adjectives},
		{"polygons", b.polygons},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return nil, fmt.Errorf("build %s: %w", s.name, err)
		}
	}
	return b.assemble()
}

// ---- countries ----

func (b *builder) countryInfo() error {
	return eachRow(b.src, "geonames/countryInfo.txt", func(f []string) error {
		iso := field(f, 0)
		if iso == "CS" || iso == "AN" { // dissolved: Serbia and Montenegro, Netherlands Antilles
			return nil
		}
		num, _ := strconv.Atoi(field(f, 2))
		area, _ := strconv.ParseFloat(field(f, 6), 64)
		pop, _ := strconv.ParseInt(field(f, 7), 10, 64)
		id, err := strconv.ParseInt(field(f, 16), 10, 64)
		if err != nil {
			return fmt.Errorf("country %s: geonameid: %w", iso, err)
		}
		c := &country{neighbour: map[string]float64{}}
		c.ISO2, c.ISO3, c.Numeric = iso, field(f, 1), uint16(num)
		c.Name = field(f, 4)
		c.capName = field(f, 5)
		c.AreaKm2 = uint64(math.Round(area * 100))
		c.Population = pop
		c.Continent = field(f, 8)
		c.PlaceID = id
		for _, n := range strings.Split(field(f, 17), ",") {
			if n != "" && n != "CS" && n != "AN" {
				c.neighbour[n] = 0
			}
		}
		b.countries[iso] = c
		b.iso3[c.ISO3] = iso
		return nil
	})
}

type mledozeCountry struct {
	Name struct {
		Common, Official string
	}
	CCA2, CCA3   string
	AltSpellings []string
	Region       string
	Subregion    string
	Latlng       []float64
	Borders      []string
	Demonyms     map[string]struct{ F, M string }
}

func (b *builder) mledoze() error {
	var all []mledozeCountry
	if err := readJSON(b.src, "countries-mledoze/countries.json", &all); err != nil {
		return err
	}
	for _, m := range all {
		c := b.countries[m.CCA2]
		if c == nil {
			continue
		}
		c.Official = m.Name.Official
		c.alt = append(c.alt, m.Name.Common, m.Name.Official)
		for _, a := range m.AltSpellings {
			if len(a) <= 3 && strings.ToUpper(a) == a { // ISO codes; news forms come from country_names.tsv
				continue
			}
			c.alt = append(c.alt, a)
		}
		if len(m.Latlng) == 2 {
			c.lat, c.lon = m.Latlng[0], m.Latlng[1]
		}
		if c.Region == "" {
			c.Region, c.Subregion = m.Region, m.Subregion
		}
		for _, n := range m.Borders {
			if iso, ok := b.iso3[n]; ok {
				if _, ok := c.neighbour[iso]; !ok {
					c.neighbour[iso] = 0
				}
			}
		}
		if d, ok := m.Demonyms["eng"]; ok {
			c.demonyms = append(c.demonyms, d.M, d.F)
		}
	}
	return nil
}

func (b *builder) i18nNames() error {
	var v struct {
		Countries map[string]any
	}
	if err := readJSON(b.src, "country-names-en/i18n-iso-countries-en.json", &v); err != nil {
		return err
	}
	for iso, n := range v.Countries {
		c := b.countries[iso]
		if c == nil {
			continue
		}
		switch n := n.(type) {
		case string:
			c.alt = append(c.alt, n)
		case []any:
			for _, s := range n {
				if s, ok := s.(string); ok && !(len(s) <= 3 && strings.ToUpper(s) == s) {
					c.alt = append(c.alt, s)
				}
			}
		}
	}
	// Map iteration order varies; the order of alt names must not.
	for _, c := range b.countries {
		slices.Sort(c.alt)
	}
	return nil
}

func (b *builder) factbook() error {
	byName := map[string]string{}
	for iso, c := range b.countries {
		byName[names.Normalize(c.Name)] = iso
		for _, a := range c.alt {
			byName[names.Normalize(a)] = iso
		}
	}
	byName["gaza strip"], byName["west bank"] = "PS", "PS"
	type fbRow struct {
		iso, short, border, borderISO, noun, adj string
		lat, lon                                 float64
	}
	var rows []fbRow
	err := eachRow(b.src, "cia-factbook/factbook_countries.tsv", func(f []string) error {
		if field(f, 0) == "gec" || field(f, 1) == "" {
			return nil
		}
		lat, _ := strconv.ParseFloat(field(f, 8), 64)
		lon, _ := strconv.ParseFloat(field(f, 9), 64)
		rows = append(rows, fbRow{field(f, 1), field(f, 3), field(f, 12), field(f, 13), field(f, 10), field(f, 11), lat, lon})
		byName[names.Normalize(field(f, 3))] = field(f, 1)
		byName[names.Normalize(field(f, 4))] = field(f, 1)
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range rows {
		c := b.countries[r.iso]
		if c == nil {
			continue
		}
		// The Gaza Strip and West Bank entries share PS: take the point from the West Bank.
		if (r.lat != 0 || r.lon != 0) && r.short != "Gaza Strip" {
			c.lat, c.lon = r.lat, r.lon
		}
		for _, nb := range parseBorders(r.border) {
			iso := byName[names.Normalize(nb.name)]
			if iso == "" || iso == r.iso || b.countries[iso] == nil {
				continue
			}
			c.neighbour[iso] += nb.km
		}
		for _, iso := range strings.Split(r.borderISO, ",") {
			if _, ok := c.neighbour[iso]; !ok && b.countries[iso] != nil && iso != r.iso {
				c.neighbour[iso] = 0
			}
		}
		c.demonyms = append(c.demonyms, demonymForms(r.adj)...)
		c.demonyms = append(c.demonyms, demonymForms(r.noun)...)
	}
	return nil
}

type borderLen struct {
	name string
	km   float64
}

// parseBorders reads the Factbook's "Libya 989 km; Mali 1,359 km" text.
func parseBorders(s string) []borderLen {
	var out []borderLen
	s = stripParens(s)
	// Split at "km" and read "Name number" before each.
	for _, part := range strings.Split(s, "km") {
		part = strings.Trim(part, " ;,")
		if part == "" {
			continue
		}
		i := strings.LastIndexFunc(part, func(r rune) bool { return !(unicode.IsDigit(r) || r == ',' || r == '.') })
		if i < 0 || i == len(part)-1 {
			continue
		}
		num := strings.ReplaceAll(part[i+1:], ",", "")
		km, err := strconv.ParseFloat(num, 64)
		if err != nil {
			continue
		}
		out = append(out, borderLen{strings.TrimSpace(part[:i+1]), km})
	}
	return out
}

func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// demonymForms splits a Factbook nationality field ("Briton(s), British (collective
// plural)", "Motswana (singular), Batswana (plural)") into single forms.
func demonymForms(s string) []string {
	if i := strings.Index(s, "note"); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "(s)", "\x00")
	s = stripParens(s)
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		for _, f := range strings.Split(part, " or ") {
			f = strings.TrimSpace(f)
			if f == "" || len(strings.Fields(f)) > 3 || f == "NA" || strings.EqualFold(f, "none") {
				continue
			}
			if strings.Contains(f, "\x00") {
				out = append(out, strings.ReplaceAll(f, "\x00", ""), strings.ReplaceAll(f, "\x00", "s"))
			} else {
				out = append(out, f)
			}
		}
	}
	return out
}

func (b *builder) m49() error {
	rc, err := openData(b.src, "un-m49/unsd-m49-methodology-older.csv")
	if err != nil {
		return err
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("m49: %w", err)
	}
	for _, f := range recs[1:] {
		iso := b.iso3[field(f, 10)]
		c := b.countries[iso]
		if c == nil {
			continue
		}
		code := func(s string) uint16 { n, _ := strconv.Atoi(s); return uint16(n) }
		c.Region, c.RegionCode = field(f, 3), code(field(f, 2))
		c.Subregion, c.SubregionCode = field(f, 5), code(field(f, 4))
		c.Intermediate, c.IntermediateCod = field(f, 7), code(field(f, 6))
	}
	return nil
}

func (b *builder) newsNames() error {
	return eachRowReader(strings.NewReader(countryNamesTSV), "country_names.tsv", func(f []string) error {
		c := b.countries[field(f, 0)]
		if c == nil {
			return fmt.Errorf("unknown country %q", field(f, 0))
		}
		if n := field(f, 1); n != "" {
			c.alt = append(c.alt, c.Name)
			c.Name = n
		}
		for _, a := range strings.Split(field(f, 2), "|") {
			if a != "" {
				c.alt = append(c.alt, a)
			}
		}
		return nil
	})
}

// ---- places ----

func lat5(f float64) int32 { return int32(math.Round(f * 1e5)) }

// addPlace registers p; a later place with the same id is ignored.
func (b *builder) addPlace(p *artifact.Place) bool {
	if _, dup := b.places[p.ID]; dup {
		return false
	}
	if p.ASCII == "" {
		p.ASCII = p.Name
	}
	b.places[p.ID] = p
	ks := map[string]bool{names.Normalize(p.Name): true, names.Normalize(p.ASCII): true}
	b.keys[p.ID] = ks
	alts := p.Alt
	p.Alt = nil
	for _, a := range alts {
		b.addAlt(p, a)
	}
	return true
}

// addAlt adds name to p's alternate names unless its key is already there.
func (b *builder) addAlt(p *artifact.Place, name string) {
	name = strings.TrimSpace(name)
	k := names.Normalize(name)
	if k == "" || b.keys[p.ID][k] {
		return
	}
	b.keys[p.ID][k] = true
	p.Alt = append(p.Alt, name)
}

func (b *builder) cities() error {
	read := func(name string) error {
		return eachRow(b.src, name, func(f []string) error {
			if field(f, 6) != "P" {
				return nil
			}
			id, err := strconv.ParseInt(field(f, 0), 10, 64)
			if err != nil {
				return err
			}
			lat, _ := strconv.ParseFloat(field(f, 4), 64)
			lon, _ := strconv.ParseFloat(field(f, 5), 64)
			pop, _ := strconv.ParseInt(field(f, 14), 10, 64)
			p := &artifact.Place{
				ID: id, Kind: artifact.KindCity, Name: field(f, 1), ASCII: field(f, 2),
				FeatureCode: field(f, 7), Country: field(f, 8), Admin1: field(f, 10), Admin2: field(f, 11),
				Lat: lat5(lat), Lon: lat5(lon), Population: pop, Timezone: field(f, 17),
			}
			if b.countries[p.Country] == nil {
				return nil
			}
			p.Alt = cityAltNames(field(f, 3), pop)
			b.addPlace(p)
			return nil
		})
	}
	if err := read("geonames/cities15000.txt"); err != nil {
		return err
	}
	return read("geonames/cities5000-2018.txt.gz")
}

// cityAltNames keeps the Latin-script alternate names of a city that are not codes, numbers
// or very long, pure-ASCII forms first, capped by the city's size.
func cityAltNames(list string, pop int64) []string {
	limit := 8
	switch {
	case pop >= 1_000_000:
		limit = 40
	case pop >= 100_000:
		limit = 20
	}
	var ascii, other []string
	seen := map[string]bool{}
	for _, a := range strings.Split(list, ",") {
		a = strings.TrimSpace(a)
		if !usableAlt(a) {
			continue
		}
		k := names.Normalize(a)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		if isASCII(a) {
			ascii = append(ascii, a)
		} else {
			other = append(other, a)
		}
	}
	out := append(ascii, other...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

func usableAlt(a string) bool {
	if a == "" || len(a) > 40 || strings.Contains(a, "http") {
		return false
	}
	letters, upper := 0, 0
	for _, r := range a {
		switch {
		case unicode.IsDigit(r):
			return false
		case unicode.IsLetter(r):
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		case unicode.Is(unicode.Mn, r) || strings.ContainsRune(" -'’.,()`ʻʼ", r):
		default:
			return false
		}
	}
	if letters < 2 {
		return false
	}
	// All-capital short forms are airport, ICAO and postal codes.
	return !(upper == letters && letters <= 4)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (b *builder) admin1Codes() error {
	// Largest city per admin1 and admin2, for timezones and admin2 points.
	big1 := map[string]*artifact.Place{}
	big2 := map[string]*artifact.Place{}
	type sum struct{ lat, lon, n float64 }
	towns := map[string]*sum{}
	for _, p := range b.sortedPlaces() {
		if p.Kind != artifact.KindCity {
			continue
		}
		k1 := p.Country + "." + p.Admin1
		if towns[k1] == nil {
			towns[k1] = &sum{}
		}
		t := towns[k1]
		t.lat, t.lon, t.n = t.lat+float64(p.Lat)/1e5, t.lon+float64(p.Lon)/1e5, t.n+1
		if q := big1[k1]; q == nil || p.Population > q.Population {
			big1[k1] = p
		}
		if p.Admin2 != "" {
			k2 := k1 + "." + p.Admin2
			if q := big2[k2]; q == nil || p.Population > q.Population {
				big2[k2] = p
			}
		}
	}
	b.cityTZ = map[string]string{}
	b.cityPt = map[string][2]int32{}
	for k, p := range big1 {
		b.cityTZ[k] = p.Timezone
	}
	for k, p := range big2 {
		b.cityTZ[k] = p.Timezone
		b.cityPt[k] = [2]int32{p.Lat, p.Lon}
	}

	type seat struct {
		lat, lon float64
		ok       bool
	}
	seats := map[string]seat{}
	err := eachRow(b.src, "geonames/admin1_seats_derived.tsv", func(f []string) error {
		lat, e1 := strconv.ParseFloat(field(f, 7), 64)
		lon, e2 := strconv.ParseFloat(field(f, 8), 64)
		seats[field(f, 0)] = seat{lat, lon, e1 == nil && e2 == nil}
		return nil
	})
	if err != nil {
		return err
	}
	// Natural Earth label points, keyed by country and name, for admin1 units with no city.
	labels := map[string]seat{}
	err = eachRow(b.src, "natural-earth/admin1_label_points.tsv", func(f []string) error {
		if field(f, 0) == "adm1_code" {
			return nil
		}
		k := field(f, 1) + "|" + names.Normalize(field(f, 4))
		if _, ok := labels[k]; ok {
			return nil
		}
		lat, e1 := strconv.ParseFloat(field(f, 7), 64)
		lon, e2 := strconv.ParseFloat(field(f, 8), 64)
		labels[k] = seat{lat, lon, e1 == nil && e2 == nil}
		return nil
	})
	if err != nil {
		return err
	}
	mains, err := b.admin1MainLabels()
	if err != nil {
		return err
	}
	return eachRow(b.src, "geonames/admin1CodesASCII.txt", func(f []string) error {
		key := field(f, 0)
		cc, code, ok := strings.Cut(key, ".")
		if !ok || b.countries[cc] == nil {
			return nil
		}
		id, err := strconv.ParseInt(field(f, 3), 10, 64)
		if err != nil {
			return err
		}
		p := &artifact.Place{ID: id, Kind: artifact.KindAdmin1, Name: field(f, 1), ASCII: field(f, 2),
			FeatureCode: "ADM1", Country: cc, Admin1: code, Timezone: b.cityTZ[key]}
		s := seats[key]
		if !s.ok {
			for _, n := range []string{p.Name, p.ASCII, trimAdminWord(p.ASCII)} {
				if l, ok := labels[cc+"|"+names.Normalize(n)]; ok && l.ok {
					s = l
					break
				}
			}
		}
		if s.ok {
			p.Lat, p.Lon = lat5(s.lat), lat5(s.lon)
		}
		// The label point of the unit's main part; of several main parts (Kentucky and its
		// Bend, Alaska's islands), the one nearest the mean of its towns or its seat.
		for _, n := range []string{p.Name, p.ASCII, trimAdminWord(p.ASCII)} {
			pts := mains[cc+"|"+names.Normalize(n)]
			if len(pts) == 0 {
				continue
			}
			ref := [2]float64{s.lat, s.lon}
			if t := towns[key]; t != nil {
				ref = [2]float64{t.lat / t.n, t.lon / t.n}
			}
			best, bestD := pts[0], math.Inf(1)
			for _, q := range pts {
				if d := math.Hypot(q[0]-ref[0], q[1]-ref[1]); d < bestD {
					best, bestD = q, d
				}
			}
			b.labels[id] = [2]int32{lat5(best[0]), lat5(best[1])}
			break
		}
		if t := trimAdminWord(p.ASCII); t != p.ASCII {
			p.Alt = append(p.Alt, t)
		}
		if b.addPlace(p) {
			b.admin1[key] = p
		}
		return nil
	})
}

// admin1MainLabels reads Natural Earth's admin-1 label points, one per polygon part, and
// keeps those of each unit's main parts (the lowest adm0_sr), keyed by ISO2 and
// normalised name, in file order.
func (b *builder) admin1MainLabels() (map[string][][2]float64, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				ISOA2  string `json:"iso_a2"`
				ADM0A3 string `json:"sr_adm0_a3"`
				Name   string `json:"name"`
				SR     int    `json:"adm0_sr"`
			}
			Geometry struct {
				Coordinates [2]float64
			}
		}
	}
	if err := readJSON(b.src, "natural-earth/ne_10m_admin_1_label_points.geojson.gz", &fc); err != nil {
		return nil, err
	}
	out := map[string][][2]float64{}
	rank := map[string]int{}
	for _, ft := range fc.Features {
		iso := ft.Properties.ISOA2
		if m, ok := neCountry[ft.Properties.ADM0A3]; ok {
			iso = m
		}
		k := iso + "|" + names.Normalize(ft.Properties.Name)
		pt := [2]float64{ft.Geometry.Coordinates[1], ft.Geometry.Coordinates[0]}
		switch r, seen := rank[k]; {
		case !seen || ft.Properties.SR < r:
			rank[k] = ft.Properties.SR
			out[k] = [][2]float64{pt}
		case ft.Properties.SR == r:
			out[k] = append(out[k], pt)
		}
	}
	return out, nil
}

// trimAdminWord drops a trailing "Province", "Governorate", "Region" ... so that
// "Diyarbakir Province" also matches "Diyarbakir".
func trimAdminWord(s string) string {
	for _, w := range []string{" Province", " Governorate", " Region", " Oblast", " County", " District", " Prefecture", " State", " Department", " Municipality", " Voivodeship"} {
		if t, ok := strings.CutSuffix(s, w); ok && t != "" {
			return t
		}
	}
	return s
}

func (b *builder) admin2Codes() error {
	return eachRow(b.src, "geonames/admin2Codes.txt.gz", func(f []string) error {
		key := field(f, 0)
		parts := strings.SplitN(key, ".", 3)
		if len(parts) != 3 || b.countries[parts[0]] == nil {
			return nil
		}
		id, err := strconv.ParseInt(field(f, 3), 10, 64)
		if err != nil {
			return err
		}
		p := &artifact.Place{ID: id, Kind: artifact.KindAdmin2, Name: field(f, 1), ASCII: field(f, 2),
			FeatureCode: "ADM2", Country: parts[0], Admin1: parts[1], Admin2: parts[2], Timezone: b.cityTZ[key]}
		if p.Timezone == "" {
			p.Timezone = b.cityTZ[parts[0]+"."+parts[1]]
		}
		if pt, ok := b.cityPt[key]; ok {
			p.Lat, p.Lon = pt[0], pt[1]
		}
		if t := trimAdminWord(p.ASCII); t != p.ASCII {
			p.Alt = append(p.Alt, t)
		}
		if b.addPlace(p) {
			b.admin2[key] = p
		}
		return nil
	})
}

func (b *builder) countryPlaces() error {
	// Capitals: the largest PPLC of the country, else the largest city named like the
	// countryInfo capital.
	capital := map[string]*artifact.Place{}
	rank := func(q *artifact.Place) int {
		if q.FeatureCode == "PPLC" {
			return 2
		}
		return 1
	}
	for _, p := range b.sortedPlaces() {
		c := b.countries[p.Country]
		if p.Kind != artifact.KindCity || c == nil {
			continue
		}
		if p.FeatureCode != "PPLC" && names.Normalize(p.Name) != names.Normalize(c.capName) {
			continue
		}
		if cur := capital[p.Country]; cur == nil || rank(p) > rank(cur) || rank(p) == rank(cur) && p.Population > cur.Population {
			capital[p.Country] = p
		}
	}
	for _, iso := range sortedKeys(b.countries) {
		c := b.countries[iso]
		p := &artifact.Place{ID: c.PlaceID, Kind: artifact.KindCountry, Name: c.Name, FeatureCode: "PCLI",
			Country: iso, Lat: lat5(c.lat), Lon: lat5(c.lon), Population: c.Population, Alt: c.alt}
		if cp := capital[iso]; cp != nil {
			c.Capital = cp.ID
			p.Timezone = cp.Timezone
		}
		if !b.addPlace(p) {
			return fmt.Errorf("country %s: id %d already used", iso, p.ID)
		}
	}
	return nil
}

var noCountryKinds = map[string]uint8{
	"CONT": artifact.KindContinent, "RGN": artifact.KindRegion, "RGNE": artifact.KindRegion, "ZN": artifact.KindRegion,
	"OCN": artifact.KindWater, "SEA": artifact.KindWater, "GULF": artifact.KindWater, "STRT": artifact.KindWater,
	"BAY": artifact.KindWater, "CHN": artifact.KindWater, "CHNM": artifact.KindWater, "SD": artifact.KindWater,
	"LK": artifact.KindWater, "MTS": artifact.KindLandform, "PEN": artifact.KindLandform, "ISL": artifact.KindLandform,
	"ISLS": artifact.KindLandform, "ATOL": artifact.KindLandform, "DSRT": artifact.KindLandform, "PLAT": artifact.KindLandform,
}

func (b *builder) noCountry() error {
	return eachRow(b.src, "geonames/no-country-nonundersea.txt", func(f []string) error {
		kind, ok := noCountryKinds[field(f, 7)]
		if !ok {
			return nil
		}
		id, err := strconv.ParseInt(field(f, 0), 10, 64)
		if err != nil {
			return err
		}
		lat, _ := strconv.ParseFloat(field(f, 4), 64)
		lon, _ := strconv.ParseFloat(field(f, 5), 64)
		var alt []string
		for _, a := range strings.Split(field(f, 3), ",") {
			if usableAlt(a) {
				alt = append(alt, a)
			}
		}
		if len(alt) > 20 {
			alt = alt[:20]
		}
		b.addPlace(&artifact.Place{ID: id, Kind: kind, Name: field(f, 1), ASCII: field(f, 2), Alt: alt,
			FeatureCode: field(f, 7), Lat: lat5(lat), Lon: lat5(lon), Timezone: field(f, 17)})
		return nil
	})
}

// naturalEarthFeatures adds seas, mountain ranges, deserts, peaks ... that GeoNames'
// no-country table lacks, with stable synthetic ids hashed from their names.
func (b *builder) naturalEarthFeatures() error {
	known := map[string]bool{}
	for _, p := range b.places {
		if p.Kind == artifact.KindWater || p.Kind == artifact.KindLandform || p.Kind == artifact.KindRegion || p.Kind == artifact.KindContinent {
			for k := range b.keys[p.ID] {
				known[k] = true
			}
		}
	}
	add := func(src, name, alt, code string, kind uint8, lat, lon float64) {
		name = neName(name)
		k := names.Normalize(name)
		if k == "" || known[k] {
			return
		}
		known[k] = true
		p := &artifact.Place{ID: syntheticID(src + ":" + k), Kind: kind, Name: name, FeatureCode: code,
			Lat: lat5(lat), Lon: lat5(lon)}
		if alt != "" {
			p.Alt = []string{neName(alt)}
		}
		if !b.addPlace(p) {
			panic("synthetic id collision: " + name)
		}
	}
	marineCodes := map[string]string{"ocean": "OCN", "sea": "SEA", "gulf": "GULF", "bay": "BAY", "strait": "STRT",
		"channel": "CHN", "sound": "SD", "fjord": "FJD", "lagoon": "LGN", "inlet": "INLT", "river": "STM", "reef": "RF", "generic": "SEA"}
	err := eachRow(b.src, "natural-earth/marine_polys_labels.tsv", func(f []string) error {
		if field(f, 0) == "name" {
			return nil
		}
		lat, _ := strconv.ParseFloat(field(f, 6), 64)
		lon, _ := strconv.ParseFloat(field(f, 7), 64)
		add("nem", field(f, 0), field(f, 1), marineCodes[field(f, 2)], artifact.KindWater, lat, lon)
		return nil
	})
	if err != nil {
		return err
	}
	regionCodes := map[string]string{"Range/mtn": "MTS", "Desert": "DSRT", "Plateau": "PLAT", "Peninsula": "PEN",
		"Pen/cape": "PEN", "Island": "ISL", "Island group": "ISLS", "Basin": "BSN", "Plain": "PLN", "Delta": "DLTA",
		"Valley": "VAL", "Geoarea": "RGN", "Coast": "CST", "Lowland": "LWLD", "Depression": "DPR", "Isthmus": "ISTH",
		"Foothills": "HLLS", "Gorge": "GRGE", "Tundra": "TUND", "Wetlands": "WTLD", "Lake": "LK"}
	err = eachRow(b.src, "natural-earth/regions_polys_labels.tsv", func(f []string) error {
		code, ok := regionCodes[field(f, 2)]
		if !ok {
			return nil
		}
		lat, _ := strconv.ParseFloat(field(f, 6), 64)
		lon, _ := strconv.ParseFloat(field(f, 7), 64)
		kind := artifact.KindLandform
		switch code {
		case "RGN":
			kind = artifact.KindRegion
		case "LK":
			kind = artifact.KindWater
		}
		add("ner", field(f, 0), field(f, 1), code, kind, lat, lon)
		return nil
	})
	if err != nil {
		return err
	}
	for _, file := range []string{"natural-earth/ne_10m_geography_regions_points.geojson", "natural-earth/ne_10m_geography_regions_elevation_points.geojson"} {
		var fc struct {
			Features []struct {
				Properties map[string]any
				Geometry   struct{ Coordinates []float64 }
			}
		}
		if err := readJSON(b.src, file, &fc); err != nil {
			return err
		}
		for _, ft := range fc.Features {
			name, _ := ft.Properties["name"].(string)
			cla, _ := ft.Properties["featurecla"].(string)
			if name == "" || len(ft.Geometry.Coordinates) != 2 {
				continue
			}
			code := map[string]string{"mountain": "MT", "pass": "PASS", "depression": "DPR", "cape": "CAPE",
				"island": "ISL", "waterfall": "FLLS", "pole": "PT"}[strings.ToLower(cla)]
			if code == "" {
				code = "MT"
			}
			kind := artifact.KindLandform
			if code == "FLLS" {
				kind = artifact.KindWater
			}
			add("nep", name, "", code, kind, ft.Geometry.Coordinates[1], ft.Geometry.Coordinates[0])
		}
	}
	return nil
}

// neName title-cases Natural Earth's upper-case labels and expands its abbreviations.
func neName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == strings.ToUpper(s) {
		words := strings.Fields(strings.ToLower(s))
		for i, w := range words {
			if i > 0 && (w == "of" || w == "the" || w == "and" || w == "de" || w == "del" || w == "la" || w == "el") {
				continue
			}
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		}
		s = strings.Join(words, " ")
	}
	for abbr, full := range map[string]string{"Mts.": "Mountains", "Mt.": "Mount", "Pen.": "Peninsula", "Is.": "Islands", "I.": "Island", "Pl.": "Plain", "Plat.": "Plateau", "Des.": "Desert"} {
		words := strings.Fields(s)
		for i, w := range words {
			if w == abbr {
				words[i] = full
			}
		}
		s = strings.Join(words, " ")
	}
	return s
}

// syntheticID is a stable negative id below -1e9 for a feature without a GeoNames id (the
// hand-written hotspots use small negative ids).
func syntheticID(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return -(1_000_000_000 + int64(h.Sum64()%1_000_000_000_000))
}

var continentIDs = map[string]int64{"AF": 6255146, "AS": 6255147, "EU": 6255148, "NA": 6255149, "SA": 6255150, "OC": 6255151, "AN": 6255152}

// regionMembers lists the member countries of continents and of the UN M49 regions that
// GeoNames has as places.
func (b *builder) regionMembers() error {
	// Places whose members the hand-written table already lists are left alone.
	byName := map[string]*artifact.Place{}
	for _, p := range b.sortedPlaces() {
		if (p.Kind == artifact.KindRegion || p.Kind == artifact.KindContinent) && len(p.Members) == 0 {
			for _, k := range sortedKeys(b.keys[p.ID]) {
				if _, ok := byName[strings.ReplaceAll(k, " ", "")]; !ok {
					byName[strings.ReplaceAll(k, " ", "")] = p
				}
			}
		}
	}
	fixed := map[int64]bool{}
	for _, p := range b.places {
		fixed[p.ID] = len(p.Members) > 0
	}
	for _, iso := range sortedKeys(b.countries) {
		c := b.countries[iso]
		if id, ok := continentIDs[c.Continent]; ok && b.places[id] != nil && !fixed[id] {
			b.places[id].Members = append(b.places[id].Members, iso)
		}
		for _, r := range []string{c.Subregion, c.Intermediate} {
			if p := byName[strings.ReplaceAll(names.Normalize(r), " ", "")]; r != "" && p != nil && p.Kind == artifact.KindRegion {
				p.Members = append(p.Members, iso)
			}
		}
	}
	return nil
}

func (b *builder) hotspots() error {
	kinds := map[string]uint8{"region": artifact.KindRegion, "hotspot": artifact.KindHotspot, "water": artifact.KindWater, "landform": artifact.KindLandform}
	return eachRowReader(strings.NewReader(hotspotsTSV), "hotspots.tsv", func(f []string) error {
		var members []string
		for _, m := range strings.Split(field(f, 4), ",") {
			if m == "" {
				continue
			}
			if b.countries[m] == nil {
				return fmt.Errorf("unknown member %q", m)
			}
			members = append(members, m)
		}
		alt := strings.Split(field(f, 3), "|")
		var p *artifact.Place
		idf := field(f, 0)
		if n, ok := strings.CutPrefix(idf, "name:"); ok {
			for _, q := range b.sortedPlaces() {
				if q.Name == n && q.Country == "" {
					if p != nil {
						return fmt.Errorf("name %q is ambiguous", n)
					}
					p = q
				}
			}
			if p == nil {
				return fmt.Errorf("no place named %q", n)
			}
		} else {
			id, err := strconv.ParseInt(idf, 10, 64)
			if err != nil {
				return err
			}
			p = b.places[id]
			if p == nil {
				if id >= 0 {
					return fmt.Errorf("GeoNames id %d is not in the sources", id)
				}
				kind, ok := kinds[field(f, 1)]
				if !ok {
					return fmt.Errorf("bad kind %q", field(f, 1))
				}
				lat, _ := strconv.ParseFloat(field(f, 5), 64)
				lon, _ := strconv.ParseFloat(field(f, 6), 64)
				p = &artifact.Place{ID: id, Kind: kind, Name: field(f, 2), FeatureCode: "HOT", Lat: lat5(lat), Lon: lat5(lon)}
				b.addPlace(p)
			}
		}
		if n := field(f, 2); n != p.Name {
			// The table's name is the one news uses ("Maghreb" for GeoNames' "Al Maghrib").
			old := p.Name
			p.Name, p.ASCII = n, n
			b.keys[p.ID][names.Normalize(n)] = true
			p.Alt = slices.DeleteFunc(p.Alt, func(a string) bool { return names.Normalize(a) == names.Normalize(n) })
			p.Alt = append(p.Alt, old) // its key is indexed already
		}
		for _, a := range alt {
			b.addAlt(p, a)
		}
		if len(members) > 0 {
			p.Members = members
			if len(members) == 1 && p.Country == "" {
				p.Country = members[0]
			}
		}
		return nil
	})
}

// ---- demonyms ----

func (b *builder) addDemonym(form string, id int64, hand bool) {
	form = strings.TrimSpace(form)
	k := names.Normalize(form)
	if k == "" {
		return
	}
	d := b.demonyms[k]
	if d == nil {
		d = &demonym{form: form}
		b.demonyms[k] = d
	}
	if hand && !d.hand {
		// A hand-written entry overrides the generated ones.
		d.targets, d.hand, d.form = nil, true, form
	}
	if !hand && d.hand {
		return
	}
	if !slices.Contains(d.targets, id) {
		d.targets = append(d.targets, id)
	}
}

func (b *builder) countryDemonyms() error {
	for _, iso := range sortedKeys(b.countries) {
		c := b.countries[iso]
		for _, d := range c.demonyms {
			b.addDemonym(d, c.PlaceID, false)
		}
	}
	err := eachRow(b.src, "demonyms/mordecai_nat_df.csv", func(f []string) error {
		form, a3, ok := strings.Cut(f[0], ",")
		if !ok || form == "nationality" {
			return nil
		}
		if c := b.countries[b.iso3[a3]]; c != nil {
			b.addDemonym(form, c.PlaceID, false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Ambiguous forms (Congolese, Dominican, Korean): larger population first.
	for _, d := range b.demonyms {
		slices.SortStableFunc(d.targets, func(x, y int64) int {
			return cmp.Or(cmp.Compare(b.places[y].Population, b.places[x].Population), cmp.Compare(x, y))
		})
	}
	return nil
}

func (b *builder) adjectives() error {
	return eachRowReader(strings.NewReader(adjectivesTSV), "adjectives.tsv", func(f []string) error {
		for _, t := range strings.Split(field(f, 1), ";") {
			kind, v, _ := strings.Cut(t, ":")
			var id int64
			switch kind {
			case "id":
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || b.places[n] == nil {
					return fmt.Errorf("unknown place %q", t)
				}
				id = n
			case "admin1":
				p := b.admin1[v]
				if p == nil {
					return fmt.Errorf("unknown admin1 %q", v)
				}
				id = p.ID
			case "country":
				c := b.countries[v]
				if c == nil {
					return fmt.Errorf("unknown country %q", v)
				}
				id = c.PlaceID
			default:
				return fmt.Errorf("bad target %q", t)
			}
			b.addDemonym(field(f, 0), id, true)
		}
		return nil
	})
}

// ---- polygons ----

// neCountry maps Natural Earth ADM0_A3 codes whose ISO_A2 is -99 to ISO2.
var neCountry = map[string]string{"FRA": "FR", "NOR": "NO", "CYN": "CY", "SOL": "SO", "ATC": "AU", "IOA": "AU"}

func (b *builder) polygons() error {
	var fc struct {
		Features []struct {
			Properties struct {
				ISOA2  string `json:"ISO_A2"`
				ADM0A3 string `json:"ADM0_A3"`
			}
			Geometry struct {
				Type        string
				Coordinates jsonRaw
			}
		}
	}
	if err := readJSON(b.src, "natural-earth/ne_50m_admin_0_countries.geojson.gz", &fc); err != nil {
		return err
	}
	type feature struct {
		iso   string
		polys [][][][2]float64
	}
	var feats []feature
	has := map[string]bool{}
	for _, ft := range fc.Features {
		iso := ft.Properties.ISOA2
		if m, ok := neCountry[ft.Properties.ADM0A3]; ok {
			iso = m
		}
		if b.countries[iso] == nil {
			continue
		}
		var polys [][][][2]float64
		switch ft.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := ft.Geometry.Coordinates.decode(&p); err != nil {
				return err
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := ft.Geometry.Coordinates.decode(&polys); err != nil {
				return err
			}
		}
		feats = append(feats, feature{iso, polys})
		has[iso] = true
	}
	// Territories that Natural Earth folds into their sovereign (French Guiana and Réunion
	// into France, Svalbard into Norway ...) get the parts that contain their capital or
	// centre point.
	type anchor struct {
		iso      string
		lon, lat float64
	}
	var anchors []anchor
	for _, iso := range sortedKeys(b.countries) {
		if has[iso] {
			continue
		}
		c := b.countries[iso]
		if cp := b.places[c.Capital]; cp != nil {
			anchors = append(anchors, anchor{iso, float64(cp.Lon) / 1e5, float64(cp.Lat) / 1e5})
		}
		anchors = append(anchors, anchor{iso, c.lon, c.lat})
	}
	for _, ft := range feats {
		for _, poly := range ft.polys {
			iso := ft.iso
			for _, a := range anchors {
				if len(poly) > 0 && inRing(poly[0], a.lon, a.lat) {
					iso = a.iso
					break
				}
			}
			c := b.countries[iso]
			for _, ring := range poly {
				s := simplifyRing(ring, Tolerance)
				if s == nil {
					s = simplifyRing(ring, Tolerance/10)
				}
				if s == nil {
					continue
				}
				r := make([]int32, 0, 2*len(s))
				for _, pt := range s {
					r = append(r, int32(math.Round(pt[1]*1e4)), int32(math.Round(pt[0]*1e4)))
				}
				c.Rings = append(c.Rings, r)
			}
		}
	}
	return nil
}

// inRing reports whether (x, y) lies inside the ring of [x, y] points (even-odd rule).
func inRing(ring [][2]float64, x, y float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, c := ring[i], ring[j]
		if (a[1] > y) != (c[1] > y) && x < (c[0]-a[0])*(y-a[1])/(c[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// ---- assembly ----

func (b *builder) sortedPlaces() []*artifact.Place {
	ps := make([]*artifact.Place, 0, len(b.places))
	for _, p := range b.places {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(x, y *artifact.Place) int { return cmp.Compare(x.ID, y.ID) })
	return ps
}

var kindOrder = map[uint8]int{artifact.KindContinent: 0, artifact.KindCountry: 1, artifact.KindRegion: 2,
	artifact.KindHotspot: 3, artifact.KindAdmin1: 4, artifact.KindWater: 5, artifact.KindLandform: 6,
	artifact.KindCity: 7, artifact.KindAdmin2: 8}

func (b *builder) assemble() (*artifact.Data, error) {
	ps := b.sortedPlaces()
	slices.SortStableFunc(ps, func(x, y *artifact.Place) int {
		return cmp.Or(cmp.Compare(kindOrder[x.Kind], kindOrder[y.Kind]), cmp.Compare(y.Population, x.Population), cmp.Compare(x.ID, y.ID))
	})
	d := &artifact.Data{Places: make([]artifact.Place, len(ps))}
	index := map[int64]uint32{}
	for i, p := range ps {
		slices.Sort(p.Members)
		p.Members = slices.Compact(p.Members)
		d.Places[i] = *p
		index[p.ID] = uint32(i)
	}
	keyed := map[string][]uint32{}
	for i, p := range ps {
		for k := range b.keys[p.ID] {
			keyed[k] = append(keyed[k], uint32(i))
		}
	}
	for _, k := range sortedKeys(keyed) {
		v := keyed[k]
		slices.Sort(v)
		d.Names = append(d.Names, artifact.Name{Key: k, Places: v})
	}
	for _, k := range sortedKeys(b.demonyms) {
		dm := b.demonyms[k]
		e := artifact.Demonym{Key: k, Form: dm.form}
		for _, id := range dm.targets {
			e.Places = append(e.Places, index[id])
		}
		d.Demonyms = append(d.Demonyms, e)
	}
	for _, iso := range sortedKeys(b.countries) {
		c := b.countries[iso]
		for _, n := range sortedKeys(c.neighbour) {
			if b.countries[n] == nil {
				continue
			}
			c.Neighbours = append(c.Neighbours, artifact.Border{Country: n, CentiKm: uint32(math.Round(c.neighbour[n] * 100))})
		}
		d.Countries = append(d.Countries, c.Country)
	}
	for id, pt := range b.labels {
		if b.places[id] != nil {
			d.Labels = append(d.Labels, artifact.Label{ID: id, Lat: pt[0], Lon: pt[1]})
		}
	}
	slices.SortFunc(d.Labels, func(x, y artifact.Label) int { return cmp.Compare(x.ID, y.ID) })
	return d, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
