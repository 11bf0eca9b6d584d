package gazetteer

import (
	"math"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func load(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestCounts(t *testing.T) {
	g := load(t)
	counts := map[Kind]int{}
	for p := range g.Places() {
		counts[p.Kind]++
	}
	min := map[Kind]int{KindContinent: 7, KindCountry: 245, KindAdmin1: 3800, KindAdmin2: 40000, KindCity: 50000,
		KindRegion: 60, KindWater: 200, KindLandform: 500, KindHotspot: 5}
	for k, n := range min {
		if counts[k] < n {
			t.Errorf("%d places of kind %v, want at least %d", counts[k], k, n)
		}
	}
	if n := len(g.Countries()); n != 250 {
		t.Errorf("%d countries, want 250", n)
	}
}

func TestLookup(t *testing.T) {
	g := load(t)
	tests := []struct {
		name    string
		want    []int64 // ids that must be among the candidates
		first   int64   // the first candidate of that kind
		kind    Kind
		country string
	}{
		{name: "Istanbul", want: []int64{745044, 745042}, first: 745044, kind: KindCity, country: "TR"},
		{name: "İSTANBUL", want: []int64{745044}, first: 745044, kind: KindCity, country: "TR"},
		{name: "Constantinople", want: []int64{745044}},
		{name: "Paris", want: []int64{2988507, 4717560}, first: 2988507, kind: KindCity, country: "FR"},
		{name: "Baghdad", want: []int64{98182}, first: 98182, kind: KindCity, country: "IQ"},
		{name: "Georgia", want: []int64{614540, 4197000}, first: 614540, kind: KindCountry, country: "GE"},
		{name: "Turkey", want: []int64{298795}},
		{name: "Türkiye", want: []int64{298795}},
		{name: "U.S.", want: []int64{6252001}},
		{name: "Britain", want: []int64{2635167}},
		{name: "Ivory Coast", want: []int64{2287781}},
		{name: "Burma", want: []int64{1327865}},
		{name: "DPRK", want: []int64{1873107}},
		{name: "Middle East", want: []int64{6269133}},
		{name: "Strait of Hormuz", want: []int64{-1001}},
		{name: "Gaza Strip", want: []int64{281132}},
		{name: "Donbass", want: []int64{-1004}},
		{name: "Persian Gulf", want: []int64{235616}},
		{name: "Arabian Gulf", want: []int64{235616}},
		{name: "Zagros Mountains"},
		{name: "Bosporus"},
	}
	for _, tt := range tests {
		ps := g.Lookup(tt.name)
		if len(ps) == 0 {
			t.Errorf("Lookup(%q): no candidates", tt.name)
			continue
		}
		var ids []int64
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		for _, id := range tt.want {
			if !slices.Contains(ids, id) {
				t.Errorf("Lookup(%q) = %v, want %d among them", tt.name, ids, id)
			}
		}
		if tt.first != 0 {
			for _, p := range ps {
				if p.Kind == tt.kind {
					if p.ID != tt.first || p.Country != tt.country {
						t.Errorf("Lookup(%q): first %v is %d %s, want %d %s", tt.name, tt.kind, p.ID, p.Country, tt.first, tt.country)
					}
					break
				}
			}
		}
	}
	if ps := g.Lookup("no such place at all"); len(ps) != 0 {
		t.Errorf("Lookup(nonsense) = %d places", len(ps))
	}
}

func TestParisTexas(t *testing.T) {
	g := load(t)
	var countries []string
	for _, p := range g.Lookup("Paris") {
		if p.Kind == KindCity && p.Name == "Paris" {
			countries = append(countries, p.Country+"-"+p.Admin1)
		}
	}
	for _, want := range []string{"FR-11", "US-TX"} {
		if !slices.Contains(countries, want) {
			t.Errorf("Paris cities %v lack %s", countries, want)
		}
	}
}

func TestPlace(t *testing.T) {
	g := load(t)
	p, ok := g.Place(745044)
	if !ok {
		t.Fatal("Istanbul 745044 missing")
	}
	if p.Country != "TR" || p.Admin1 != "34" || p.Population < 15_000_000 || p.Timezone != "Europe/Istanbul" {
		t.Errorf("Istanbul = %+v", p)
	}
	if d := DistanceKm(p.Lat, p.Lon, 41.01, 28.95); d > 5 {
		t.Errorf("Istanbul is %.1f km off", d)
	}
	if got, want := p.Describe(g), "Istanbul, Istanbul, Turkey (city, pop. 15,701,602)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	a, ok := g.Admin1("TR", "34")
	if !ok || a.Name != "Istanbul" || !a.HasPoint() {
		t.Errorf("Admin1(TR, 34) = %+v, %v", a, ok)
	}
	if _, ok := g.Place(-1001); !ok {
		t.Error("Strait of Hormuz -1001 missing")
	}
}

func TestCountry(t *testing.T) {
	g := load(t)
	c, ok := g.Country("tr")
	if !ok {
		t.Fatal("no TR")
	}
	got := struct {
		ISO3, Name, Region, Subregion, Continent string
		Numeric                                  int
		Capital                                  int64
	}{c.ISO3, c.Name, c.Region, c.Subregion, c.Continent, c.Numeric, c.Capital}
	want := struct {
		ISO3, Name, Region, Subregion, Continent string
		Numeric                                  int
		Capital                                  int64
	}{"TUR", "Turkey", "Asia", "Western Asia", "AS", 792, 323786}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TR (-want +got):\n%s", diff)
	}
	if c.AreaKm2 < 700_000 || c.Population < 80_000_000 || c.Place == nil || c.Place.ID != 298795 {
		t.Errorf("TR area %v pop %v place %v", c.AreaKm2, c.Population, c.Place)
	}
	if g.Subregion("IQ") != "Western Asia" || g.Region("FR") != "Europe" {
		t.Errorf("regions: IQ %q FR %q", g.Subregion("IQ"), g.Region("FR"))
	}
}

func TestNeighbours(t *testing.T) {
	g := load(t)
	tests := []struct {
		iso2    string
		has     []string
		hasNot  []string
		kmOfOne string
	}{
		{"TR", []string{"IR", "IQ", "SY", "GE", "AM", "AZ", "BG", "GR"}, []string{"IL", "LB"}, "IR"},
		{"IQ", []string{"IR", "TR", "SY", "JO", "SA", "KW"}, []string{"IL"}, "IR"},
		{"IL", []string{"EG", "JO", "LB", "SY", "PS"}, []string{"TR"}, "EG"},
		{"FR", []string{"ES", "DE", "BE"}, []string{"GB"}, "ES"},
	}
	for _, tt := range tests {
		var got []string
		km := 0.0
		for _, b := range g.Neighbours(tt.iso2) {
			got = append(got, b.Country)
			if b.Country == tt.kmOfOne {
				km = b.LengthKm
			}
		}
		for _, n := range tt.has {
			if !slices.Contains(got, n) {
				t.Errorf("Neighbours(%s) = %v, lacks %s", tt.iso2, got, n)
			}
		}
		for _, n := range tt.hasNot {
			if slices.Contains(got, n) {
				t.Errorf("Neighbours(%s) = %v, has %s", tt.iso2, got, n)
			}
		}
		if km <= 0 {
			t.Errorf("Neighbours(%s): no length for %s", tt.iso2, tt.kmOfOne)
		}
	}
}

func TestDemonym(t *testing.T) {
	g := load(t)
	tests := []struct {
		word string
		id   int64 // the preferred place
	}{
		{"Iranian", 130758},
		{"Iraqi", 99237},
		{"Turkish", 298795},
		{"Turks", 298795},
		{"Kurdish", -1002},
		{"Korean", 1835841},
		{"British", 2635167},
		{"Texan", 4736286},
		{"Gazan", 281132},
		{"middle eastern", 6269133},
	}
	for _, tt := range tests {
		ps, ok := g.Demonym(tt.word)
		if !ok || len(ps) == 0 || ps[0].ID != tt.id {
			var ids []int64
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			t.Errorf("Demonym(%q) = %v, %v; want %d first", tt.word, ids, ok, tt.id)
		}
	}
	if _, ok := g.Demonym("Table"); ok {
		t.Error(`Demonym("Table") matched`)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestBlocs(t *testing.T) {
	g := load(t)
	tests := []struct {
		bloc, iso2, at string
		want           bool
	}{
		{"NATO", "FI", "2023-04-03", false},
		{"NATO", "FI", "2023-04-04", true},
		{"NATO", "SE", "2024-03-06", false},
		{"NATO", "SE", "2024-03-07", true},
		{"NATO", "TR", "2026-01-01", true},
		{"EU", "GB", "2019-06-01", true},
		{"EU", "GB", "2020-02-01", false},
		{"EU", "HR", "2013-06-30", false},
		{"EU", "HR", "2013-07-01", true},
		{"BRICS", "ID", "2025-01-05", false},
		{"BRICS", "ID", "2025-01-06", true},
		{"BRICS", "IR", "2024-06-01", true},
		{"BRICS", "SA", "2026-01-01", false},
		{"OPEC", "QA", "2018-06-01", true},
		{"OPEC", "QA", "2019-06-01", false},
		{"OPEC", "AO", "2025-01-01", false},
		{"ASEAN", "TL", "2025-10-26", true},
		{"SCO", "BY", "2025-01-01", true},
		{"LAS", "SY", "2024-01-01", true},
		{"GCC", "QA", "2020-01-01", true},
	}
	for _, tt := range tests {
		got := slices.Contains(g.BlocMembers(tt.bloc, day(tt.at)), tt.iso2)
		if got != tt.want {
			t.Errorf("%s in %s at %s = %v, want %v", tt.iso2, tt.bloc, tt.at, got, tt.want)
		}
		inBlocs := slices.ContainsFunc(g.Blocs(tt.iso2, day(tt.at)), func(m Membership) bool { return m.Bloc == tt.bloc })
		if inBlocs != tt.want {
			t.Errorf("Blocs(%s, %s) has %s = %v, want %v", tt.iso2, tt.at, tt.bloc, inBlocs, tt.want)
		}
	}
	sizes := map[string]int{"EU": 27, "NATO": 32, "GCC": 6, "Arab League": 22, "OPEC": 12, "ASEAN": 11,
		"African Union": 55, "BRICS": 10, "SCO": 10, "G7": 7, "G20": 19}
	for bloc, n := range sizes {
		if got := len(g.BlocMembers(bloc, day("2026-01-01"))); got != n {
			t.Errorf("%s has %d members in 2026, want %d", bloc, got, n)
		}
	}
	for _, m := range g.blocs {
		if _, ok := g.Country(m.Country); !ok {
			t.Errorf("blocs.tsv: unknown country %q in %s", m.Country, m.Bloc)
		}
		if !m.Left.IsZero() && !m.Left.After(m.Joined) {
			t.Errorf("blocs.tsv: %s %s left before joining", m.Bloc, m.Country)
		}
	}
}

func TestContains(t *testing.T) {
	g := load(t)
	tests := []struct {
		iso2     string
		lat, lon float64
		want     bool
	}{
		{"TR", 41.01, 28.95, true},   // Istanbul
		{"TR", 39.93, 32.86, true},   // Ankara
		{"IQ", 33.34, 44.40, true},   // Baghdad
		{"IR", 35.69, 51.39, true},   // Tehran
		{"TR", 35.69, 51.39, false},  // Tehran
		{"FR", 48.85, 2.35, true},    // Paris
		{"US", 33.66, -95.56, true},  // Paris, Texas
		{"ZA", -29.31, 27.48, false}, // Maseru, in Lesotho, a hole in South Africa
		{"LS", -29.31, 27.48, true},
		{"GB", 51.5, -0.12, true},
		{"GB", 48.85, 2.35, false},
	}
	for _, tt := range tests {
		if got := g.Contains(tt.iso2, tt.lat, tt.lon); got != tt.want {
			t.Errorf("Contains(%s, %v, %v) = %v, want %v", tt.iso2, tt.lat, tt.lon, got, tt.want)
		}
	}
	if c, ok := g.CountryAt(33.34, 44.40); !ok || c.ISO2 != "IQ" {
		t.Errorf("CountryAt(Baghdad) = %v, %v", c, ok)
	}
}

func TestNearestPointOnCountry(t *testing.T) {
	g := load(t)
	// Istanbul to Iran: the nearest point is on Iran's north-western border (Turkey/
	// Armenia/Azerbaijan side), roughly 1,300-1,450 km away.
	lat, lon, km, ok := g.NearestPointOnCountry("IR", 41.01, 28.95)
	if !ok || km < 1200 || km > 1500 || !(lat > 37 && lat < 40.5 && lon > 43.5 && lon < 46) {
		t.Errorf("Istanbul to Iran: %.2f,%.2f %.0f km %v", lat, lon, km, ok)
	}
	if _, _, km, _ := g.NearestPointOnCountry("TR", 41.01, 28.95); km != 0 {
		t.Errorf("Istanbul to Turkey = %v km, want 0", km)
	}
}

func TestSharedBorder(t *testing.T) {
	g := load(t)
	km, ok := g.DistanceToSharedBorderKm("IR", "IQ", 41.01, 28.95)
	t.Logf("Istanbul to the Iran-Iraq border: %.0f km", km)
	if !ok || km < 1300 || km > 1500 {
		t.Errorf("Istanbul to the Iran-Iraq border = %.0f km, %v; want 1,300-1,500", km, ok)
	}
	// The border runs roughly from the Turkish tripoint (37.1N 44.8E) to the Shatt al-Arab
	// (30N 48.5E), about 1,600 km long.
	length := 0.0
	minLat, maxLat := 90.0, -90.0
	for _, l := range g.SharedBorder("IR", "IQ") {
		for i, p := range l {
			minLat, maxLat = math.Min(minLat, p[0]), math.Max(maxLat, p[0])
			if i > 0 {
				length += DistanceKm(l[i-1][0], l[i-1][1], p[0], p[1])
			}
		}
	}
	if length < 1000 || length > 2000 || minLat > 30.5 || maxLat < 36.8 {
		t.Errorf("Iran-Iraq border: %.0f km long, lat %.2f-%.2f", length, minLat, maxLat)
	}
	if l := g.SharedBorder("TR", "IL"); len(l) != 0 {
		t.Errorf("Turkey and Israel share a border: %v", l)
	}
	if _, ok := g.DistanceToSharedBorderKm("TR", "IL", 41, 29); ok {
		t.Error("DistanceToSharedBorderKm(TR, IL) ok")
	}
}

func TestSearch(t *testing.T) {
	g := load(t)
	tests := []struct {
		q    string
		want int64 // first result
	}{
		{"Istanb", 745044},
		{"istanbul", 745044},
		{"Baghadd", 98182},
		{"Pari", 2988507},
		{"Tehr", 112931},
		{"Franc", 3017382},
	}
	for _, tt := range tests {
		ps := g.Search(tt.q, 5)
		if len(ps) == 0 || ps[0].ID != tt.want {
			var got []string
			for _, p := range ps {
				got = append(got, p.Describe(g))
			}
			t.Errorf("Search(%q) = %q, want %d first", tt.q, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	g := load(t)
	n, prev := 0, ""
	found := false
	for key, ids := range g.Names() {
		if key <= prev || len(ids) == 0 || Normalize(key) != key {
			t.Fatalf("bad name entry %q after %q (%d ids)", key, prev, len(ids))
		}
		if key == "istanbul" && slices.Contains(ids, 745044) {
			found = true
		}
		prev = key
		n++
	}
	if n != g.NameCount() || !found {
		t.Errorf("Names: %d keys (NameCount %d), istanbul found %v", n, g.NameCount(), found)
	}
}

func TestDistanceKm(t *testing.T) {
	// Paris to London, about 344 km.
	if d := DistanceKm(48.8566, 2.3522, 51.5074, -0.1278); math.Abs(d-344) > 3 {
		t.Errorf("Paris-London = %.1f km", d)
	}
	if d := DistanceKm(10, 179.9, 10, -179.9); d > 25 {
		t.Errorf("across the antimeridian = %.1f km", d)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	g := load(b)
	for b.Loop() {
		g.Lookup("Paris")
	}
}

// TestLoadTime reports the time of a Load (the first one in the process when the test
// runs alone: go test -run TestLoadTime -v) and the memory the gazetteer keeps. The
// budget is 300 ms; the test fails only far above it, since shared machines are noisy.
func TestLoadTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu0 := cpuTime()
	start := time.Now()
	g, err := Load()
	took := time.Since(start)
	cpu := cpuTime() - cpu0
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("Load: %v (CPU %v), %d places, %d names, live heap %.0f MB", took.Round(time.Millisecond), cpu.Round(time.Millisecond), g.Len(), g.NameCount(),
		float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	runtime.KeepAlive(g)
	if took > 2*time.Second {
		t.Errorf("Load took %v (budget 300 ms)", took)
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
