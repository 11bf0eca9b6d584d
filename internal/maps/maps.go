// Package maps is the map-rendering step of Vantage's web face: it draws small, static,
// self-contained SVG maps of a story on the server, from the Natural Earth 1:50m country
// outlines embedded in package gazetteer. A map shades the countries a story is about
// (darker for a stronger focus), outlines others (the reader's own country), highlights
// shared borders, and marks places and distances (the reader's city and the line to the
// nearest point of a border, labelled "1,429 km").
//
// Projection. Maps use an equirectangular projection centred on the framed area, with
// longitude scaled by the cosine of the centre latitude, so a region is drawn with its
// proper proportions; the world view is the plain plate carrée. Without explicit Bounds a
// map frames the shaded countries (their main land mass: France without French Guiana),
// markers, lines and borders with some padding, and widens the shorter side to the
// picture's aspect ratio; with nothing to frame it shows the whole world.
//
// Antimeridian. Outlines and lines are unwrapped (consecutive points never jump more than
// 180° of longitude; Antarctica is closed through the pole) and drawn once for every
// multiple of 360° that brings them into view, clipped to the picture, so Russia, Fiji
// or a line across the Pacific never streak across the map, and a view can straddle
// ±180 (give Bounds with MinLon > MaxLon).
//
// Output. Outlines are simplified for the picture: points closer than 0.7 px to the last
// one kept are dropped, countries out of view are skipped and the rest clipped just past
// the edges, and coordinates have one decimal. A world map is about 250 KB, a regional
// one about 40 KB; rendering takes a few milliseconds. The outlines prepared for drawing
// are cached per *gazetteer.Gazetteer (use one per process, as gazetteer.Default does).
// Render is safe for concurrent use. The SVG carries its own <style> (class names start with "vm-"), needs
// no external resources, and is accessible: role="img", a <title>, a <desc> in words
// (shaded countries and weights, outlines, borders, markers, line labels) and a <title>
// tooltip on every shaded country. Every country path has class and data-iso attributes.
// All text is escaped. Output is deterministic.
package maps

import (
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Spec describes one map.
type Spec struct {
	Title   string             // the map's <title>, its accessible name
	Shade   map[string]float64 // ISO2 -> focus weight in [0, 1]: the higher, the darker
	Outline []string           // ISO2 countries to outline (the reader's country)
	Markers []Marker           // points: the reader's place, cities of the story
	Lines   []Line             // e.g. reader's place -> nearest point of a border
	Borders [][2]string        // ISO2 pairs whose shared land border is highlighted
	Bounds  *Box               // nil: fit to shading, markers, lines and borders (world if none)
	// Picture size in pixels, 800×450 when both are zero (one of them zero keeps 16:9).
	Width, Height int
}

// Marker is a point on the map.
type Marker struct {
	Lat, Lon float64
	Label    string
	Kind     string // MarkerReader or MarkerPlace ("" is a place)
}

// Marker kinds.
const (
	MarkerReader = "reader" // the reader's place, drawn larger and in another colour
	MarkerPlace  = "place"
)

// Line is a straight line (in the map's projection) with a label at its middle.
type Line struct {
	From, To [2]float64 // [lat, lon]
	Label    string
}

// Box is a latitude/longitude box. MinLon > MaxLon means the box crosses the antimeridian.
type Box struct{ MinLat, MinLon, MaxLat, MaxLon float64 }

// Default picture size.
const (
	DefaultWidth  = 800
	DefaultHeight = 450
	maxSide       = 8192
)

// Rendering parameters.
const (
	minStepPx = 0.7  // outline points closer than this to the last one kept are dropped
	padFrac   = 0.08 // padding of a fitted view, as a fraction of the shorter side
	tinyPx    = 4    // a shaded country smaller than this also gets a dot
)

// Render writes the map described by s as an SVG document.
func Render(w io.Writer, g *gazetteer.Gazetteer, s Spec) error {
	if g == nil {
		return errors.New("maps: nil gazetteer")
	}
	if err := s.normalize(); err != nil {
		return err
	}
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	r := renderer{g: g, a: atlasFor(g), s: &s, scratch: sc}
	r.shade = r.shaded()
	r.v = r.frame()
	r.draw()
	_, err := w.Write(r.b)
	return err
}

// scratch holds a render's buffers, reused across renders.
type scratch struct {
	b      []byte // the document
	pb     []byte // path data of the countries in view
	shifts []float64
	proj   [][2]float64
	q      [][2]int64
	clip   clipper
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (sc *scratch) release() {
	if cap(sc.b) > 4<<20 || cap(sc.pb) > 4<<20 {
		return // a huge picture: let it go
	}
	sc.b, sc.pb, sc.shifts, sc.proj = sc.b[:0], sc.pb[:0], sc.shifts[:0], sc.proj[:0]
	scratchPool.Put(sc)
}

func (s *Spec) normalize() error {
	switch {
	case s.Width == 0 && s.Height == 0:
		s.Width, s.Height = DefaultWidth, DefaultHeight
	case s.Height == 0:
		s.Height = s.Width * 9 / 16
	case s.Width == 0:
		s.Width = s.Height * 16 / 9
	}
	if s.Width < 16 || s.Height < 16 || s.Width > maxSide || s.Height > maxSide {
		return fmt.Errorf("maps: picture size %d×%d out of range", s.Width, s.Height)
	}
	for iso, w := range s.Shade {
		if math.IsNaN(w) {
			return fmt.Errorf("maps: shade weight of %q is NaN", iso)
		}
	}
	for _, m := range s.Markers {
		if !validPoint(m.Lat, m.Lon) {
			return fmt.Errorf("maps: marker %q at invalid point %v,%v", m.Label, m.Lat, m.Lon)
		}
	}
	for _, l := range s.Lines {
		if !validPoint(l.From[0], l.From[1]) || !validPoint(l.To[0], l.To[1]) {
			return fmt.Errorf("maps: line %q has an invalid end %v -> %v", l.Label, l.From, l.To)
		}
	}
	if b := s.Bounds; b != nil {
		if !validPoint(b.MinLat, b.MinLon) || !validPoint(b.MaxLat, b.MaxLon) || b.MinLat >= b.MaxLat || b.MinLon == b.MaxLon {
			return fmt.Errorf("maps: invalid bounds %+v", *b)
		}
	}
	return nil
}

func validPoint(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 // false for NaN
}

type shaded struct {
	cg *countryGeom
	w  float64
}

type renderer struct {
	g     *gazetteer.Gazetteer
	a     *atlas
	s     *Spec
	v     view
	shade []shaded // known countries, by decreasing weight then name
	*scratch
}

func (r *renderer) shaded() []shaded {
	var out []shaded
	for iso, w := range r.s.Shade {
		if cg, ok := r.a.byISO[strings.ToUpper(iso)]; ok && !slices.ContainsFunc(out, func(x shaded) bool { return x.cg == cg }) {
			out = append(out, shaded{cg, math.Max(0, math.Min(1, w))})
		}
	}
	slices.SortFunc(out, func(x, y shaded) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		if c := cmp.Compare(x.cg.c.Name, y.cg.c.Name); c != 0 {
			return c
		}
		return cmp.Compare(x.cg.c.ISO2, y.cg.c.ISO2)
	})
	return out
}

func (r *renderer) country(iso string) (*countryGeom, bool) {
	cg, ok := r.a.byISO[strings.ToUpper(iso)]
	return cg, ok
}

// frame chooses the view: the given bounds, or a fit to what the map shows.
func (r *renderer) frame() view {
	s := r.s
	if b := s.Bounds; b != nil {
		hi := b.MaxLon
		if hi < b.MinLon {
			hi += 360
		}
		return newView(s.Width, s.Height, extent{b.MinLat, b.MaxLat, b.MinLon, hi}, 0, false)
	}
	lat := noExtent
	var lons [][2]float64
	add := func(e extent) {
		if e.empty() {
			return
		}
		lat = lat.add(e.latLo, 0).add(e.latHi, 0)
		lons = append(lons, [2]float64{e.lonLo, e.lonHi})
	}
	for _, sh := range r.shade {
		add(sh.cg.core)
	}
	for _, m := range s.Markers {
		add(noExtent.add(m.Lat, m.Lon))
	}
	for _, l := range s.Lines {
		add(newShape(unwrap([][2]float64{l.From, l.To}, false)).box)
	}
	for _, pair := range s.Borders {
		for _, line := range r.g.SharedBorder(pair[0], pair[1]) {
			add(newShape(unwrap(line, false)).box)
		}
	}
	if len(lons) == 0 {
		for _, iso := range s.Outline {
			if cg, ok := r.country(iso); ok {
				add(cg.core)
			}
		}
	}
	if len(lons) == 0 {
		return newView(s.Width, s.Height, extent{-90, 90, -180, 180}, 0, true)
	}
	lo, hi := lonCover(lons)
	pad := padFrac * float64(min(s.Width, s.Height))
	return newView(s.Width, s.Height, extent{lat.latLo, lat.latHi, lo, hi}, pad, false)
}

// Colours and style. Land is a light warm grey, the sea a pale blue; shading runs from
// pale orange to dark red; the reader is marked in blue, other places in near-black.
const style = `.vm-map{font:12px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}` +
	`.vm-sea{fill:#dce9f3}` +
	`.vm-land{fill:#f3f0ea;stroke:#b4ab9c;stroke-width:.5;stroke-linejoin:round}` +
	`.vm-shade{stroke:#6b2a12;stroke-width:.7;stroke-linejoin:round}` +
	`.vm-outline{fill:none;stroke:#15396a;stroke-width:1.8;stroke-linejoin:round}` +
	`.vm-border-casing{fill:none;stroke:#fff;stroke-width:5;stroke-linecap:round;stroke-linejoin:round}` +
	`.vm-border{fill:none;stroke:#111;stroke-width:2.5;stroke-linecap:round;stroke-linejoin:round}` +
	`.vm-line{fill:none;stroke:#15396a;stroke-width:1.6;stroke-dasharray:6 4}` +
	`.vm-reader{fill:#1565c0;stroke:#fff;stroke-width:2.5}` +
	`.vm-place{fill:#222;stroke:#fff;stroke-width:1.5}` +
	`.vm-label{fill:#111;stroke:#fff;stroke-width:3;stroke-linejoin:round;paint-order:stroke}` +
	`.vm-label-reader{font-weight:700;fill:#0d3c78}` +
	`.vm-legend-bg{fill:#fff;fill-opacity:.88;stroke:#b4ab9c;stroke-width:.5}` +
	`.vm-legend{fill:#222;font-size:11px}` +
	`.vm-swatch{stroke:#6b2a12;stroke-width:.5}`

// shadeColour maps a weight in [0, 1] to a sequential pale-orange-to-dark-red ramp.
func shadeColour(w float64) string {
	stops := [...][3]float64{{253, 228, 195}, {239, 131, 72}, {153, 20, 10}}
	t := math.Max(0, math.Min(1, w)) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	var c [3]int
	for j := range c {
		c[j] = int(math.Round(stops[i][j] + f*(stops[i+1][j]-stops[i][j])))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

func (r *renderer) draw() {
	s, v := r.s, &r.v
	r.b, r.pb = r.b[:0], r.pb[:0]
	r.str(`<svg xmlns="http://www.w3.org/2000/svg" class="vm-map" role="img" viewBox="0 0 `)
	r.int(s.Width)
	r.str(" ")
	r.int(s.Height)
	r.str(`" width="`)
	r.int(s.Width)
	r.str(`" height="`)
	r.int(s.Height)
	r.str("\">\n<title>")
	title := s.Title
	if title == "" {
		title = "Map"
	}
	r.text(title)
	r.str("</title>\n<desc>")
	r.text(r.describe())
	r.str("</desc>\n<style>")
	r.str(style)
	r.str("</style>\n")

	// The sea: the part of the picture the globe covers.
	sea := rect{math.Max(0, v.clip.x0), math.Max(0, v.clip.y0), math.Min(v.w, v.clip.x1), math.Min(v.h, v.clip.y1)}
	r.str(`<rect class="vm-sea" x="`)
	r.num(sea.x0)
	r.str(`" y="`)
	r.num(sea.y0)
	r.str(`" width="`)
	r.num(sea.x1 - sea.x0)
	r.str(`" height="`)
	r.num(sea.y1 - sea.y0)
	r.str("\"/>\n")

	// Countries: plain land first, then the shaded ones over it, then outlines.
	paths := make(map[*countryGeom][2]int) // spans of r.pb
	sizes := make(map[*countryGeom]rect)
	weight := make(map[*countryGeom]float64, len(r.shade))
	for _, sh := range r.shade {
		weight[sh.cg] = sh.w
	}
	r.str(`<g class="vm-countries">` + "\n")
	for _, cg := range r.a.countries {
		d, size := r.countryPath(cg)
		if d[0] == d[1] {
			continue
		}
		paths[cg], sizes[cg] = d, size
		if _, ok := weight[cg]; ok {
			continue
		}
		r.str(`<path class="vm-land" data-iso="`)
		r.text(cg.c.ISO2)
		r.str(`" d="`)
		r.b = append(r.b, r.pb[d[0]:d[1]]...)
		r.str("\"/>\n")
	}
	for _, sh := range r.shade {
		d, ok := paths[sh.cg]
		colour := shadeColour(sh.w)
		if ok {
			r.str(`<path class="vm-shade" data-iso="`)
			r.text(sh.cg.c.ISO2)
			r.str(`" fill="` + colour + `" d="`)
			r.b = append(r.b, r.pb[d[0]:d[1]]...)
			r.str(`"><title>`)
			r.text(sh.cg.c.Name)
			r.str("</title></path>\n")
		}
		// Too small to see at this scale (Bahrain on a world map): a dot as well.
		x, y, in := 0.0, 0.0, false
		if box := sizes[sh.cg]; ok && math.Max(box.x1-box.x0, box.y1-box.y0) < tinyPx {
			x, y, in = (box.x0+box.x1)/2, (box.y0+box.y1)/2, true
		} else if p := sh.cg.c.Place; !ok && p != nil && p.HasPoint() {
			x, y, in = r.point(p.Lat, p.Lon, 0)
		}
		if in {
			r.str(`<circle class="vm-shade" data-iso="`)
			r.text(sh.cg.c.ISO2)
			r.str(`" fill="` + colour + `" r="3" cx="`)
			r.num(x)
			r.str(`" cy="`)
			r.num(y)
			r.str(`"><title>`)
			r.text(sh.cg.c.Name)
			r.str("</title></circle>\n")
		}
	}
	seen := map[*countryGeom]bool{}
	for _, iso := range s.Outline {
		cg, ok := r.country(iso)
		if !ok || seen[cg] || paths[cg] == [2]int{} {
			continue
		}
		seen[cg] = true
		r.str(`<path class="vm-outline" data-iso="`)
		r.text(cg.c.ISO2)
		r.str(`" d="`)
		r.b = append(r.b, r.pb[paths[cg][0]:paths[cg][1]]...)
		r.str("\"/>\n")
	}
	r.str("</g>\n")

	// Borders, in a white casing so they stand out on any fill.
	var borders []byte
	for _, pair := range r.borderPairs() {
		for _, line := range r.g.SharedBorder(pair[0], pair[1]) {
			borders = r.linePath(borders, unwrap(line, false))
		}
	}
	if len(borders) > 0 {
		r.str(`<g class="vm-borders"><path class="vm-border-casing" d="`)
		r.b = append(r.b, borders...)
		r.str(`"/><path class="vm-border" d="`)
		r.b = append(r.b, borders...)
		r.str("\"/></g>\n")
	}

	// Lines and their labels.
	type label struct {
		x, y   float64
		anchor string
		class  string
		text   string
	}
	var labels []label
	if len(s.Lines) > 0 {
		r.str(`<g class="vm-lines">` + "\n")
		for _, l := range s.Lines {
			pts := unwrap([][2]float64{l.From, l.To}, false)
			d := r.linePath(nil, pts)
			if len(d) == 0 {
				continue
			}
			r.str(`<path class="vm-line" d="`)
			r.b = append(r.b, d...)
			r.str("\"/>\n")
			if l.Label == "" {
				continue
			}
			lon := v.near(pts[0][1])
			x0, y0 := v.xy(pts[0][0], lon)
			x1, y1 := v.xy(pts[1][0], lon+pts[1][1]-pts[0][1])
			mx, my := (x0+x1)/2, (y0+y1)/2
			// Beside the middle of the line, on its upper side.
			nx, ny := -(y1 - y0), x1-x0
			if n := math.Hypot(nx, ny); n > 0 {
				nx, ny = nx/n, ny/n
			}
			if ny > 0 {
				nx, ny = -nx, -ny
			}
			mx, my = mx+nx*10, my+ny*10+4
			if mx >= 0 && mx <= v.w && my >= 0 && my <= v.h {
				labels = append(labels, label{mx, my, "middle", "vm-label", l.Label})
			}
		}
		r.str("</g>\n")
	}

	// Markers: places, then the reader on top; labels over everything.
	if len(s.Markers) > 0 {
		r.str(`<g class="vm-markers">` + "\n")
		for _, reader := range []bool{false, true} {
			for _, m := range s.Markers {
				if (m.Kind == MarkerReader) != reader {
					continue
				}
				x, y, in := r.point(m.Lat, m.Lon, 0)
				if !in {
					continue
				}
				class, rad, lclass := "vm-place", "3.5", "vm-label"
				if reader {
					class, rad, lclass = "vm-reader", "6", "vm-label vm-label-reader"
				}
				r.str(`<circle class="` + class + `" r="` + rad + `" cx="`)
				r.num(x)
				r.str(`" cy="`)
				r.num(y)
				r.str("\"/>\n")
				if m.Label != "" {
					l := label{x + 9, y + 4, "start", lclass, m.Label}
					if x > v.w-130 {
						l.x, l.anchor = x-9, "end"
					}
					labels = append(labels, l)
				}
			}
		}
		r.str("</g>\n")
	}
	if len(labels) > 0 {
		r.str(`<g class="vm-labels">` + "\n")
		for _, l := range labels {
			r.str(`<text class="` + l.class + `" text-anchor="` + l.anchor + `" x="`)
			r.num(l.x)
			r.str(`" y="`)
			r.num(l.y)
			r.str(`">`)
			r.text(l.text)
			r.str("</text>\n")
		}
		r.str("</g>\n")
	}

	if len(r.shade) > 0 {
		r.legend()
	}
	r.str("</svg>\n")
}

// legend draws the shading scale in the bottom-left corner.
func (r *renderer) legend() {
	const n, sw, gap, x0 = 5, 20.0, 2.0, 14.0
	y0 := r.v.h - 52
	r.str(`<g class="vm-legend-box"><rect class="vm-legend-bg" rx="3" x="8" y="`)
	r.num(y0)
	r.str(`" width="`)
	r.num(2*(x0-8) + n*sw + (n-1)*gap)
	r.str(`" height="44"/><text class="vm-legend" x="14" y="`)
	r.num(y0 + 14)
	r.str(`">Story focus</text>` + "\n")
	for i := range n {
		r.str(`<rect class="vm-swatch" width="20" height="10" fill="` + shadeColour((float64(i)+0.5)/n) + `" x="`)
		r.num(x0 + float64(i)*(sw+gap))
		r.str(`" y="`)
		r.num(y0 + 20)
		r.str("\"/>\n")
	}
	r.str(`<text class="vm-legend" x="14" y="`)
	r.num(y0 + 40)
	r.str(`">low</text><text class="vm-legend" text-anchor="end" x="`)
	r.num(x0 + n*sw + (n-1)*gap)
	r.str(`" y="`)
	r.num(y0 + 40)
	r.str("\">high</text></g>\n")
}

// borderPairs returns the distinct known pairs of Spec.Borders, in order.
func (r *renderer) borderPairs() [][2]string {
	var out [][2]string
	for _, p := range r.s.Borders {
		a, okA := r.country(p[0])
		b, okB := r.country(p[1])
		if !okA || !okB || a == b {
			continue
		}
		q := [2]string{a.c.ISO2, b.c.ISO2}
		if !slices.Contains(out, q) && !slices.Contains(out, [2]string{q[1], q[0]}) {
			out = append(out, q)
		}
	}
	return out
}

// describe says in words what the map shows, for <desc>.
func (r *renderer) describe() string {
	s := r.s
	var parts []string
	if r.s.Bounds == nil && len(r.shade) == 0 && len(s.Markers) == 0 && len(s.Lines) == 0 && len(s.Borders) == 0 && len(s.Outline) == 0 {
		parts = append(parts, "World map.")
	}
	if len(r.shade) > 0 {
		var l []string
		for _, sh := range r.shade {
			l = append(l, sh.cg.c.Name+" "+strconv.FormatFloat(sh.w, 'f', 2, 64))
		}
		parts = append(parts, "Countries shaded by story focus (0 to 1): "+strings.Join(l, ", ")+".")
	}
	var outl []string
	for _, iso := range s.Outline {
		if cg, ok := r.country(iso); ok && !slices.Contains(outl, cg.c.Name) {
			outl = append(outl, cg.c.Name)
		}
	}
	if len(outl) > 0 {
		parts = append(parts, "Outlined: "+strings.Join(outl, ", ")+".")
	}
	var bl []string
	for _, p := range r.borderPairs() {
		a, _ := r.country(p[0])
		b, _ := r.country(p[1])
		bl = append(bl, a.c.Name+"–"+b.c.Name)
	}
	if len(bl) > 0 {
		parts = append(parts, "Highlighted border: "+strings.Join(bl, ", ")+".")
	}
	var ml []string
	for _, m := range s.Markers {
		label := m.Label
		if label == "" {
			label = strconv.FormatFloat(m.Lat, 'f', 2, 64) + ", " + strconv.FormatFloat(m.Lon, 'f', 2, 64)
		}
		if m.Kind == MarkerReader {
			label += " (reader's place)"
		}
		ml = append(ml, label)
	}
	if len(ml) > 0 {
		parts = append(parts, "Marked: "+strings.Join(ml, ", ")+".")
	}
	var ll []string
	for _, l := range s.Lines {
		if l.Label != "" {
			ll = append(ll, l.Label)
		}
	}
	if len(ll) > 0 {
		parts = append(parts, "Lines: "+strings.Join(ll, ", ")+".")
	}
	return strings.Join(parts, " ")
}

// point projects a point; in reports whether it lies in the picture (with margin px).
func (r *renderer) point(lat, lon, margin float64) (x, y float64, in bool) {
	x, y = r.v.xy(lat, r.v.near(lon))
	return x, y, x >= -margin && x <= r.v.w+margin && y >= -margin && y <= r.v.h+margin
}

// countryPath appends the path data of a country's rings in view to r.pb and returns
// its span (empty when nothing shows) and the pixel box of what it draws.
func (r *renderer) countryPath(cg *countryGeom) ([2]int, rect) {
	start := len(r.pb)
	if len(r.v.shifts(cg.box, r.shifts[:0])) == 0 {
		return [2]int{start, start}, rect{}
	}
	box := rect{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, ring := range cg.rings {
		r.shifts = r.v.shifts(ring.box, r.shifts)
		for _, sh := range r.shifts {
			r.proj = r.v.project(ring.pts, sh, minStepPx, r.proj)
			if len(r.proj) < 4 {
				continue
			}
			if pts := r.clip.polygon(r.proj, r.v.clip); r.ring(pts) {
				for _, p := range pts {
					box = rect{math.Min(box.x0, p[0]), math.Min(box.y0, p[1]), math.Max(box.x1, p[0]), math.Max(box.y1, p[1])}
				}
			}
		}
	}
	return [2]int{start, len(r.pb)}, box
}

// ring appends a closed subpath, rounded to tenths of a pixel, unless fewer than three
// distinct points remain; it reports whether it did.
func (r *renderer) ring(pts [][2]float64) bool {
	q := r.q[:0]
	defer func() { r.q = q }()
	for _, p := range pts {
		t := [2]int64{tenths(p[0]), tenths(p[1])}
		if n := len(q); n > 0 && q[n-1] == t {
			continue
		}
		q = append(q, t)
	}
	for len(q) > 1 && q[len(q)-1] == q[0] {
		q = q[:len(q)-1]
	}
	if len(q) < 3 {
		return false
	}
	r.pb = appendPoints(r.pb, q)
	r.pb = append(r.pb, 'Z')
	return true
}

// linePath appends to d the path data of an unwrapped polyline, clipped to the view.
func (r *renderer) linePath(d []byte, pts [][2]float64) []byte {
	sh := newShape(pts)
	for _, s := range r.v.shifts(sh.box, nil) {
		proj := r.v.project(pts, s, minStepPx, nil)
		for _, piece := range clipLine(proj, r.v.clip) {
			var q [][2]int64
			for _, p := range piece {
				t := [2]int64{tenths(p[0]), tenths(p[1])}
				if n := len(q); n == 0 || q[n-1] != t {
					q = append(q, t)
				}
			}
			if len(q) >= 2 {
				d = appendPoints(d, q)
			}
		}
	}
	return d
}

// appendPoints appends "Mx y x y ..." (a moveto followed by implicit linetos).
func appendPoints(b []byte, q [][2]int64) []byte {
	b = append(b, 'M')
	for i, t := range q {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendTenths(b, t[0])
		b = append(b, ' ')
		b = appendTenths(b, t[1])
	}
	return b
}

func tenths(v float64) int64 { return int64(math.Round(v * 10)) }

func appendTenths(b []byte, t int64) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = strconv.AppendInt(b, t/10, 10)
	if f := t % 10; f != 0 {
		b = append(b, '.', byte('0'+f))
	}
	return b
}

func (r *renderer) str(s string) { r.b = append(r.b, s...) }
func (r *renderer) int(i int)    { r.b = strconv.AppendInt(r.b, int64(i), 10) }
func (r *renderer) num(v float64) {
	r.b = appendTenths(r.b, tenths(v))
}

// text appends s escaped for XML character data and attribute values.
func (r *renderer) text(s string) {
	var w byteWriter
	w.b = r.b
	_ = xml.EscapeText(&w, []byte(s)) // a byteWriter never fails
	r.b = w.b
}

type byteWriter struct{ b []byte }

func (w *byteWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}
