package maps

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")

func gaz(tb testing.TB) *gazetteer.Gazetteer {
	tb.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

var istanbul = [2]float64{41.01, 28.95}

// iranIraqSpec is the Iran–Iraq border story seen from Istanbul.
func iranIraqSpec(tb testing.TB, g *gazetteer.Gazetteer) Spec {
	tb.Helper()
	blat, blon, km, ok := NearestBorderPoint(g, "IR", "IQ", istanbul[0], istanbul[1])
	if !ok {
		tb.Fatal("no Iran–Iraq border")
	}
	return Spec{
		Title:   "Iran–Iraq border, seen from Istanbul",
		Shade:   map[string]float64{"IR": 0.5, "IQ": 0.5},
		Outline: []string{"TR"},
		Markers: []Marker{{Lat: istanbul[0], Lon: istanbul[1], Label: "Istanbul", Kind: MarkerReader}},
		Lines:   []Line{{From: istanbul, To: [2]float64{blat, blon}, Label: FormatKm(km)}},
		Borders: [][2]string{{"IR", "IQ"}},
	}
}

// svgDoc is what the tests read back from a rendered map.
type svgDoc struct {
	viewBox     [4]float64
	title, desc string
	paths       []svgPath
	texts       []string
	numbers     []float64 // x, y, cx, cy, width, height attributes
}

type svgPath struct {
	class, iso, fill, title string
	subpaths                [][][2]float64
}

// parseSVG checks that the document is well-formed XML and collects what tests check.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	var cur *svgPath
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			text.Reset()
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			switch tok.Name.Local {
			case "svg":
				if tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("svg namespace %q", tok.Name.Space)
				}
				if attr["role"] != "img" {
					t.Errorf("svg role %q, want img", attr["role"])
				}
				f := strings.Fields(attr["viewBox"])
				if len(f) != 4 {
					t.Fatalf("viewBox %q", attr["viewBox"])
				}
				for i, s := range f {
					doc.viewBox[i] = mustFloat(t, s)
				}
			case "path":
				doc.paths = append(doc.paths, svgPath{class: attr["class"], iso: attr["data-iso"], fill: attr["fill"],
					subpaths: parsePath(t, attr["d"])})
				cur = &doc.paths[len(doc.paths)-1]
			}
			for _, k := range []string{"x", "y", "cx", "cy", "width", "height"} {
				if v, ok := attr[k]; ok {
					doc.numbers = append(doc.numbers, mustFloat(t, v))
				}
			}
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			switch {
			case name == "title" && parent == "svg":
				doc.title = text.String()
			case name == "title" && parent == "path" && cur != nil:
				cur.title = text.String()
			case name == "desc":
				doc.desc = text.String()
			case name == "text":
				doc.texts = append(doc.texts, text.String())
			case name == "path":
				cur = nil
			}
			text.Reset()
		}
	}
	return doc
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		t.Fatalf("bad number %q", s)
	}
	return f
}

// parsePath reads the path data Render writes: "Mx y x y ...[Z]" subpaths.
func parsePath(t *testing.T, d string) [][][2]float64 {
	t.Helper()
	var subs [][][2]float64
	for _, part := range strings.Split(d, "M")[1:] {
		part = strings.TrimSuffix(part, "Z")
		f := strings.Fields(part)
		if len(f)%2 != 0 || len(f) < 4 {
			t.Fatalf("bad subpath %q", part)
		}
		var pts [][2]float64
		for i := 0; i < len(f); i += 2 {
			pts = append(pts, [2]float64{mustFloat(t, f[i]), mustFloat(t, f[i+1])})
		}
		subs = append(subs, pts)
	}
	return subs
}

func render(t testing.TB, g *gazetteer.Gazetteer, s Spec) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, g, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name     string
		spec     Spec
		maxBytes int
		title    string
		desc     []string // substrings of <desc>
		shaded   []string
	}{
		{
			name: "iran-iraq-from-istanbul", spec: iranIraqSpec(t, g), maxBytes: 150 << 10,
			title:  "Iran–Iraq border, seen from Istanbul",
			desc:   []string{"Iran 0.50", "Iraq 0.50", "Outlined: Turkey", "Iran–Iraq", "Istanbul (reader's place)", "1,429 km"},
			shaded: []string{"IR", "IQ"},
		},
		{
			name: "world", spec: Spec{Title: "World"}, maxBytes: 400 << 10,
			title: "World", desc: []string{"World map."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, g, tc.spec)
			golden := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("output differs from %s (%d vs %d bytes); run go test -update and review the diff", golden, len(out), len(want))
			}
			if len(out) > tc.maxBytes {
				t.Errorf("%d bytes, want at most %d", len(out), tc.maxBytes)
			}
			doc := parseSVG(t, out)
			if doc.title != tc.title {
				t.Errorf("title %q, want %q", doc.title, tc.title)
			}
			for _, d := range tc.desc {
				if !strings.Contains(doc.desc, d) {
					t.Errorf("desc %q lacks %q", doc.desc, d)
				}
			}
			checkGeometry(t, doc)
			for _, iso := range tc.shaded {
				p := findPath(doc, "vm-shade", iso)
				if p == nil {
					t.Errorf("no shaded path for %s", iso)
					continue
				}
				if !strings.HasPrefix(p.fill, "#") || len(p.fill) != 7 {
					t.Errorf("%s fill %q", iso, p.fill)
				}
				if c, _ := g.Country(iso); p.title != c.Name {
					t.Errorf("%s tooltip %q, want %q", iso, p.title, c.Name)
				}
				if len(p.subpaths) == 0 {
					t.Errorf("%s path is empty", iso)
				}
			}
			if len(tc.shaded) == 0 && findPath(doc, "vm-shade", "") != nil {
				t.Error("shaded path in a map without shading")
			}
			for _, p := range doc.paths {
				if strings.HasPrefix(p.class, "vm-land") || p.class == "vm-shade" || p.class == "vm-outline" {
					if p.iso == "" {
						t.Errorf("country path of class %q without data-iso", p.class)
					}
				}
			}
		})
	}
}

func findPath(doc svgDoc, class, iso string) *svgPath {
	for i, p := range doc.paths {
		if p.class == class && (iso == "" || p.iso == iso) {
			return &doc.paths[i]
		}
	}
	return nil
}

// checkGeometry checks every coordinate is finite and within the viewBox, give or take
// the clipping margin.
func checkGeometry(t *testing.T, doc svgDoc) {
	t.Helper()
	const margin = clipMarginPx + 0.1
	w, h := doc.viewBox[2], doc.viewBox[3]
	if w <= 0 || h <= 0 {
		t.Fatalf("viewBox %v", doc.viewBox)
	}
	n := 0
	for _, p := range doc.paths {
		for _, sub := range p.subpaths {
			for _, q := range sub {
				n++
				if q[0] < -margin || q[0] > w+margin || q[1] < -margin || q[1] > h+margin {
					t.Fatalf("%s %s: point %v outside the %v×%v viewBox", p.class, p.iso, q, w, h)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no path points at all")
	}
	for _, v := range doc.numbers {
		if v < -margin || v > math.Max(w, h)+margin {
			t.Errorf("attribute value %v outside the viewBox", v)
		}
	}
}

func TestFitFramesTheStory(t *testing.T) {
	g := gaz(t)
	s := iranIraqSpec(t, g)
	s.normalize()
	r := renderer{g: g, a: atlasFor(g), s: &s}
	r.shade = r.shaded()
	v := r.frame()
	for _, p := range [][2]float64{istanbul, {32.4, 53.7} /* Iran */, {33.2, 43.7} /* Iraq */, {25.3, 60.6}, {29.1, 48.1}} {
		x, y := v.xy(p[0], v.near(p[1]))
		if x < 0 || x > v.w || y < 0 || y > v.h {
			t.Errorf("%v projects to %.0f,%.0f, outside the %v×%v picture", p, x, y, v.w, v.h)
		}
	}
	// A regional view: Iran's width should take a good part of the picture.
	x0, _ := v.xy(30, 44)
	x1, _ := v.xy(30, 63)
	if x1-x0 < v.w/4 {
		t.Errorf("Iran is %.0f px wide in a %v px picture", x1-x0, v.w)
	}
}

func TestEscaping(t *testing.T) {
	g := gaz(t)
	evil := `<script>alert("x")</script> & 'co'`
	out := render(t, g, Spec{
		Title:   evil,
		Shade:   map[string]float64{"FR": 1},
		Markers: []Marker{{Lat: 48.85, Lon: 2.35, Label: evil, Kind: MarkerReader}, {Lat: 45.76, Lon: 4.84, Label: "a<b"}},
		Lines:   []Line{{From: [2]float64{48.85, 2.35}, To: [2]float64{45.76, 4.84}, Label: `"392 km" <&>`}},
	})
	if bytes.Contains(out, []byte("<script")) || bytes.Contains(out, []byte(`"x"`)) || bytes.Contains(out, []byte("a<b")) {
		t.Errorf("unescaped text in output")
	}
	if !bytes.Contains(out, []byte("&lt;script&gt;")) {
		t.Errorf("escaped title missing")
	}
	doc := parseSVG(t, out)
	if doc.title != evil {
		t.Errorf("title round trip %q", doc.title)
	}
	for _, want := range []string{evil, "a<b", `"392 km" <&>`} {
		found := false
		for _, s := range doc.texts {
			found = found || s == want
		}
		if !found {
			t.Errorf("label %q not drawn; texts %q", want, doc.texts)
		}
		if !strings.Contains(doc.desc, want) {
			t.Errorf("desc lacks %q", want)
		}
	}
	checkGeometry(t, doc)
}

// TestAntimeridian checks that outlines crossing ±180 do not streak across the map: no
// segment spans half the picture unless it runs along the clipping rectangle or a pole.
func TestAntimeridian(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name string
		spec Spec
		want []string // shaded countries that must be drawn
	}{
		{"world-russia-fiji", Spec{Shade: map[string]float64{"RU": 0.8, "FJ": 1, "US": 0.3, "NZ": 0.2}}, []string{"RU", "FJ", "US", "NZ"}},
		{"pacific-bounds", Spec{Shade: map[string]float64{"FJ": 1, "RU": 0.5}, Bounds: &Box{MinLat: -25, MinLon: 170, MaxLat: 70, MaxLon: -160}}, []string{"FJ", "RU"}},
		{"fitted-russia", Spec{Shade: map[string]float64{"RU": 1}}, []string{"RU"}},
		{"fitted-fiji", Spec{Shade: map[string]float64{"FJ": 1}}, []string{"FJ"}},
		{"pacific-line", Spec{Lines: []Line{{From: [2]float64{-18.1, 178.4}, To: [2]float64{-13.8, -171.8}, Label: "Suva–Apia"}},
			Bounds: &Box{MinLat: -40, MinLon: 120, MaxLat: 10, MaxLon: -120}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, g, tc.spec)
			doc := parseSVG(t, out)
			checkGeometry(t, doc)
			w, h := doc.viewBox[2], doc.viewBox[3]
			for _, p := range doc.paths {
				for _, sub := range p.subpaths {
					for i := 1; i < len(sub); i++ {
						a, b := sub[i-1], sub[i]
						if math.Abs(a[0]-b[0]) < w/3 {
							continue
						}
						onEdge := func(y float64) bool { return y <= 0.1-clipMarginPx || y >= h+clipMarginPx-0.1 }
						if a[1] == b[1] && (onEdge(a[1]) || p.iso == "AQ" && a[1] == maxY(p)) {
							continue
						}
						t.Errorf("%s %s: streak from %v to %v", p.class, p.iso, a, b)
					}
				}
			}
			for _, iso := range tc.want {
				if findPath(doc, "vm-shade", iso) == nil {
					t.Errorf("%s not drawn", iso)
				}
			}
		})
	}
	// In a view centred on the antimeridian, Fiji is drawn on both sides of it.
	out := render(t, g, Spec{Shade: map[string]float64{"FJ": 1}})
	doc := parseSVG(t, out)
	p := findPath(doc, "vm-shade", "FJ")
	if p == nil {
		t.Fatal("Fiji missing")
	}
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, sub := range p.subpaths {
		for _, q := range sub {
			minX, maxX = math.Min(minX, q[0]), math.Max(maxX, q[0])
		}
	}
	if maxX-minX > doc.viewBox[2]/2 {
		t.Errorf("Fiji spans x %.0f..%.0f: split across the map", minX, maxX)
	}
}

// maxY is the lowest point of a path: the South Pole line of Antarctica.
func maxY(p svgPath) float64 {
	y := math.Inf(-1)
	for _, sub := range p.subpaths {
		for _, q := range sub {
			y = math.Max(y, q[1])
		}
	}
	return y
}

func TestLonCover(t *testing.T) {
	tests := []struct {
		in     [][2]float64
		lo, hi float64
	}{
		{[][2]float64{{10, 20}, {30, 40}}, 10, 40},
		{[][2]float64{{170, 180}, {-180, -170}}, 170, 190},
		{[][2]float64{{27, 190}}, 27, 190},
		{[][2]float64{{-170, -160}, {160, 170}, {0, 1}}, 0, 200},
		{[][2]float64{{-170, -160}, {160, 170}, {100, 101}}, 100, 200},
		{[][2]float64{{-180, 180}}, -180, 180},
		{[][2]float64{{5, 5}}, 5, 5},
	}
	for _, tc := range tests {
		lo, hi := lonCover(tc.in)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("lonCover(%v) = %v, %v; want %v, %v", tc.in, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestCoreExtent(t *testing.T) {
	a := atlasFor(gaz(t))
	tests := []struct {
		iso                  string
		lonLo, lonHi, latMin float64 // core must lie within lon [lonLo, lonHi], lat above latMin
	}{
		{"FR", -6, 10, 41},     // without French Guiana and Réunion
		{"RU", 19, 191, 41},    // including Chukotka, past 180
		{"NL", -70, 8, 12},     // the Caribbean islands are far; at least Europe
		{"IR", 44, 64, 25},     // a single land mass
		{"FJ", 174, 182, 0.01}, // latMin not checked
	}
	for _, tc := range tests {
		cg := a.byISO[tc.iso]
		c := cg.core
		lo, hi := c.lonLo, c.lonHi
		if lo < tc.lonLo-360 || (lo < tc.lonLo && lo+360 > tc.lonHi) {
			t.Errorf("%s core %+v", tc.iso, c)
			continue
		}
		if lo < tc.lonLo {
			lo, hi = lo+360, hi+360
		}
		if lo < tc.lonLo || hi > tc.lonHi || (tc.latMin > 1 && c.latLo < tc.latMin) {
			t.Errorf("%s core %+v, want within lon %v..%v, lat >= %v", tc.iso, c, tc.lonLo, tc.lonHi, tc.latMin)
		}
	}
}

func TestNearestBorderPoint(t *testing.T) {
	g := gaz(t)
	blat, blon, km, ok := NearestBorderPoint(g, "IR", "IQ", istanbul[0], istanbul[1])
	if !ok {
		t.Fatal("no border")
	}
	ref, _ := g.DistanceToSharedBorderKm("IR", "IQ", istanbul[0], istanbul[1])
	if math.Abs(km-ref) > 1 {
		t.Errorf("%.1f km, DistanceToSharedBorderKm says %.1f", km, ref)
	}
	if d := gazetteer.DistanceKm(istanbul[0], istanbul[1], blat, blon); math.Abs(d-km) > 0.01 {
		t.Errorf("point %v,%v is %.1f km away, reported %.1f", blat, blon, d, km)
	}
	if FormatKm(km) != "1,429 km" {
		t.Errorf("FormatKm(%v) = %q", km, FormatKm(km))
	}
	if _, _, _, ok := NearestBorderPoint(g, "FR", "JP", 0, 0); ok {
		t.Error("France and Japan share a border")
	}
}

func TestFormatKm(t *testing.T) {
	for km, want := range map[float64]string{0: "0 km", 0.44: "0.4 km", 9.96: "10 km", 12.4: "12 km", 999.6: "1,000 km", 1429.27: "1,429 km", 20015: "20,015 km", 1234567: "1,234,567 km"} {
		if got := FormatKm(km); got != want {
			t.Errorf("FormatKm(%v) = %q, want %q", km, got, want)
		}
	}
}

func TestInvalidSpec(t *testing.T) {
	g := gaz(t)
	for name, s := range map[string]Spec{
		"nan weight":    {Shade: map[string]float64{"IR": math.NaN()}},
		"bad marker":    {Markers: []Marker{{Lat: 91, Lon: 0}}},
		"nan line":      {Lines: []Line{{From: [2]float64{math.NaN(), 0}}}},
		"bad bounds":    {Bounds: &Box{MinLat: 10, MaxLat: 5, MinLon: 0, MaxLon: 10}},
		"negative size": {Width: -1, Height: 10},
	} {
		if err := Render(io.Discard, g, s); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := Render(io.Discard, nil, Spec{}); err == nil {
		t.Error("nil gazetteer: no error")
	}
	// Unknown countries and out-of-range weights are tolerated.
	out := render(t, g, Spec{Shade: map[string]float64{"XX": 1, "ir": 7}, Outline: []string{"ZZ"}, Borders: [][2]string{{"IR", "ZZ"}}})
	doc := parseSVG(t, out)
	if p := findPath(doc, "vm-shade", "IR"); p == nil || p.fill != shadeColour(1) {
		t.Errorf("lower-case, over-weight IR not shaded as 1: %+v", p)
	}
}

func TestDeterministic(t *testing.T) {
	g := gaz(t)
	s := Spec{Shade: map[string]float64{"IR": 0.5, "IQ": 0.5, "SY": 0.2, "TR": 0.9, "SA": 0.1}}
	first := render(t, g, s)
	for range 5 {
		if !bytes.Equal(first, render(t, g, s)) {
			t.Fatal("output differs between runs")
		}
	}
}

func TestTinyShadedCountry(t *testing.T) {
	g := gaz(t)
	out := render(t, g, Spec{Shade: map[string]float64{"BH": 1, "US": 0.5}, Bounds: &Box{MinLat: -60, MinLon: -180, MaxLat: 80, MaxLon: 180}})
	if !bytes.Contains(out, []byte(`<circle class="vm-shade" data-iso="BH" fill="`+shadeColour(1)+`"`)) {
		t.Error("Bahrain has no dot on a world map")
	}
	if bytes.Contains(out, []byte(`<circle class="vm-shade" data-iso="US"`)) {
		t.Error("the United States have a dot")
	}
	parseSVG(t, out)
}

func TestConcurrent(t *testing.T) {
	g := gaz(t)
	specs := []Spec{iranIraqSpec(t, g), {}, {Shade: map[string]float64{"RU": 1}}, {Shade: map[string]float64{"FR": 0.3}, Width: 400}}
	want := make([][]byte, len(specs))
	for i, s := range specs {
		want[i] = render(t, g, s)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 3 * len(specs) {
				j := (i + w) % len(specs)
				var buf bytes.Buffer
				if err := Render(&buf, g, specs[j]); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(buf.Bytes(), want[j]) {
					t.Errorf("spec %d: concurrent output differs", j)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkRenderWorld(b *testing.B) {
	g := gaz(b)
	s := Spec{Title: "World"}
	render(b, g, s) // warm the outline cache
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, g, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderRegion(b *testing.B) {
	g := gaz(b)
	s := iranIraqSpec(b, g)
	render(b, g, s)
	b.ReportAllocs()
	for b.Loop() {
		if err := Render(io.Discard, g, s); err != nil {
			b.Fatal(err)
		}
	}
}
