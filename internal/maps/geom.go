package maps

import (
	"math"
	"slices"
	"sync"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// shape is a ring or polyline of [lat, lon] points whose longitudes are unwrapped: no
// two consecutive points are more than 180° of longitude apart, so a shape that crosses
// the antimeridian runs past ±180 instead of jumping across the whole map.
type shape struct {
	pts [][2]float64
	box extent
}

// extent is a latitude/longitude box; hi may exceed 180 when it crosses the antimeridian.
type extent struct{ latLo, latHi, lonLo, lonHi float64 }

var noExtent = extent{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}

func (e extent) empty() bool { return e.latLo > e.latHi }

func (e extent) add(lat, lon float64) extent {
	return extent{math.Min(e.latLo, lat), math.Max(e.latHi, lat), math.Min(e.lonLo, lon), math.Max(e.lonHi, lon)}
}

func newShape(pts [][2]float64) shape {
	s := shape{pts: pts, box: noExtent}
	for _, p := range pts {
		s.box = s.box.add(p[0], p[1])
	}
	return s
}

// unwrap returns a copy of pts whose longitudes are made continuous. A closed ring that
// winds once around a pole (Antarctica) is started where it crosses the antimeridian and
// closed through the pole, so it still encloses the right area and has no seam elsewhere.
func unwrap(pts [][2]float64, ring bool) [][2]float64 {
	if ring && len(pts) > 3 && pts[0] == pts[len(pts)-1] {
		if out := unwrapLine(pts); math.Abs(out[len(out)-1][1]-out[0][1]) > 180 {
			jump, at := 0.0, 0
			for i := 1; i < len(pts); i++ {
				if d := math.Abs(pts[i][1] - pts[i-1][1]); d > jump {
					jump, at = d, i
				}
			}
			open := pts[:len(pts)-1]
			rot := make([][2]float64, 0, len(pts))
			rot = append(append(append(rot, open[at:]...), open[:at]...), open[at])
			pts = rot
		}
	}
	out := unwrapLine(pts)
	if ring && len(out) > 2 && math.Abs(out[len(out)-1][1]-out[0][1]) > 180 {
		pole, sum := 90.0, 0.0
		for _, p := range out {
			sum += p[0]
		}
		if sum < 0 {
			pole = -90
		}
		first, last := out[0], out[len(out)-1]
		out = append(out, [2]float64{pole, last[1]}, [2]float64{pole, first[1]}, first)
	}
	return out
}

func unwrapLine(pts [][2]float64) [][2]float64 {
	out := make([][2]float64, len(pts), len(pts)+3)
	shift := 0.0
	for i, p := range pts {
		if i > 0 {
			d := p[1] + shift - out[i-1][1]
			if d > 180 {
				shift -= 360
			} else if d < -180 {
				shift += 360
			}
		}
		out[i] = [2]float64{p[0], p[1] + shift}
	}
	return out
}

// countryGeom is a country's outline prepared for drawing.
type countryGeom struct {
	c     *gazetteer.Country
	rings []shape
	box   extent
	core  extent // the main land mass and the rings near it; what a fitted view frames
}

type atlas struct {
	countries []*countryGeom
	byISO     map[string]*countryGeom
}

// atlases caches the prepared outlines per gazetteer (which is immutable).
var atlases sync.Map // *gazetteer.Gazetteer -> *atlas

func atlasFor(g *gazetteer.Gazetteer) *atlas {
	if a, ok := atlases.Load(g); ok {
		return a.(*atlas)
	}
	a := &atlas{byISO: map[string]*countryGeom{}}
	for _, c := range g.Countries() {
		cg := &countryGeom{c: c, box: noExtent}
		for _, r := range c.Rings() {
			if len(r) < 3 {
				continue
			}
			s := newShape(unwrap(r, true))
			cg.rings = append(cg.rings, s)
			cg.box = cg.box.add(s.box.latLo, s.box.lonLo).add(s.box.latHi, s.box.lonHi)
		}
		cg.core = coreExtent(cg.rings)
		a.countries = append(a.countries, cg)
		a.byISO[c.ISO2] = cg
	}
	v, _ := atlases.LoadOrStore(g, a)
	return v.(*atlas)
}

// coreGapDeg is how far, in degrees, a ring may lie from a country's main land mass (or
// the rings already joined to it) and still be framed with it: Corsica goes with France,
// French Guiana and Réunion do not.
const coreGapDeg = 5

// coreExtent starts from the ring of largest area and adds every ring within coreGapDeg
// of the growing extent.
func coreExtent(rings []shape) extent {
	if len(rings) == 0 {
		return noExtent
	}
	main, best := 0, -1.0
	for i, r := range rings {
		if a := ringArea(r.pts); a > best {
			main, best = i, a
		}
	}
	core := rings[main].box
	used := make([]bool, len(rings))
	used[main] = true
	for grown := true; grown; {
		grown = false
		for i, r := range rings {
			if used[i] {
				continue
			}
			b, ok := near(core, r.box)
			if !ok {
				continue
			}
			used[i], grown = true, true
			core = core.add(b.latLo, b.lonLo).add(b.latHi, b.lonHi)
		}
	}
	return core
}

// near reports whether b lies within coreGapDeg of a, returning b shifted by a multiple
// of 360° of longitude to the side where it is nearest.
func near(a, b extent) (extent, bool) {
	if b.latLo > a.latHi+coreGapDeg || b.latHi < a.latLo-coreGapDeg {
		return b, false
	}
	for _, s := range [...]float64{0, -360, 360} {
		sb := extent{b.latLo, b.latHi, b.lonLo + s, b.lonHi + s}
		if sb.lonLo <= a.lonHi+coreGapDeg && sb.lonHi >= a.lonLo-coreGapDeg {
			return sb, true
		}
	}
	return b, false
}

// ringArea is the ring's area in square degrees scaled by the cosine of latitude.
func ringArea(pts [][2]float64) float64 {
	sum := 0.0
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		k := math.Cos((a[0] + b[0]) / 2 * math.Pi / 180)
		sum += (b[1] - a[1]) * k * (a[0] + b[0]) / 2
	}
	return math.Abs(sum)
}

// lonCover returns the shortest arc of longitude [lo, hi] (lo in [-180, 180), hi - lo
// <= 360) covering every interval; intervals may run past 180 as extents do.
func lonCover(iv [][2]float64) (lo, hi float64) {
	var parts [][2]float64
	for _, v := range iv {
		a, b := v[0], v[1]
		if b-a >= 360 {
			return -180, 180
		}
		a = normLon(a)
		b = a + (v[1] - v[0])
		if b > 180 {
			parts = append(parts, [2]float64{a, 180}, [2]float64{-180, b - 360})
		} else {
			parts = append(parts, [2]float64{a, b})
		}
	}
	if len(parts) == 0 {
		return -180, 180
	}
	slices.SortFunc(parts, func(x, y [2]float64) int {
		if x[0] != y[0] {
			if x[0] < y[0] {
				return -1
			}
			return 1
		}
		if x[1] < y[1] {
			return -1
		} else if x[1] > y[1] {
			return 1
		}
		return 0
	})
	merged := [][2]float64{parts[0]}
	for _, p := range parts[1:] {
		m := &merged[len(merged)-1]
		if p[0] <= m[1] {
			m[1] = math.Max(m[1], p[1])
		} else {
			merged = append(merged, p)
		}
	}
	n := len(merged)
	// The gap across the antimeridian, then the gaps between neighbours.
	gap := merged[0][0] + 360 - merged[n-1][1]
	lo, hi = merged[0][0], merged[n-1][1]
	for i := 0; i+1 < n; i++ {
		if g := merged[i+1][0] - merged[i][1]; g > gap {
			gap, lo, hi = g, merged[i+1][0], merged[i][1]+360
		}
	}
	if gap <= 0 {
		return -180, 180
	}
	return lo, hi
}

// normLon maps a longitude to [-180, 180).
func normLon(lon float64) float64 {
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	return lon - 180
}
