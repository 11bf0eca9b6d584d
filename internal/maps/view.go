package maps

import "math"

// view is the equirectangular projection of one map:
//
//	x = W/2 + (lon - lon0)·cos(lat0)·scale,  y = H/2 - (lat - lat0)·scale
//
// where (lat0, lon0) is the centre of the framed box. Scaling longitude by the cosine of
// the centre latitude keeps shapes near the centre undistorted; over a region of a few
// thousand kilometres the error elsewhere is small, and unlike Mercator the projection
// is linear in both axes and has no trouble near the poles. The world view is the plain
// plate carrée (lat0 = 0).
type view struct {
	w, h       float64
	lat0, lon0 float64 // lon0 in [-180, 180)
	k, scale   float64 // cos(lat0); pixels per degree of latitude
	// The visible part of the globe in degrees; lonLo may be below -180 and lonHi above
	// 180 when the view straddles the antimeridian.
	latLo, latHi, lonLo, lonHi float64
	clip                       rect // pixels; geometry is clipped to it
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) contains(p [2]float64) bool {
	return p[0] >= r.x0 && p[0] <= r.x1 && p[1] >= r.y0 && p[1] <= r.y1
}

// clipMarginPx is how far past the edge of the picture outlines are drawn, so that the
// clipped edges (and their strokes) stay out of sight.
const clipMarginPx = 4

// minSpanDeg is the smallest box, in degrees of latitude, a fitted view frames (a single
// point would otherwise zoom in without limit).
const minSpanDeg = 4

// newView frames e (lonHi may exceed 180) in a w×h picture, keeping padPx pixels free on
// every side, and widens the other dimension to fill the picture.
func newView(w, h int, e extent, padPx float64, world bool) view {
	v := view{w: float64(w), h: float64(h)}
	v.lat0 = (e.latLo + e.latHi) / 2
	v.lon0 = normLon((e.lonLo + e.lonHi) / 2)
	v.k = math.Cos(math.Max(-75, math.Min(75, v.lat0)) * math.Pi / 180)
	if world {
		v.k = 1
	}
	pw := math.Max((e.lonHi-e.lonLo)*v.k, minSpanDeg)
	ph := math.Max(e.latHi-e.latLo, minSpanDeg)
	v.scale = math.Min((v.w-2*padPx)/pw, (v.h-2*padPx)/ph)
	halfLon := v.w / 2 / (v.k * v.scale)
	halfLat := v.h / 2 / v.scale
	v.lonLo, v.lonHi = v.lon0-halfLon, v.lon0+halfLon
	v.latLo, v.latHi = v.lat0-halfLat, v.lat0+halfLat
	// Draw nothing past the poles, nor the same land twice when the view is wider than
	// the globe.
	v.clip = rect{-clipMarginPx, -clipMarginPx, v.w + clipMarginPx, v.h + clipMarginPx}
	wx0, wy0 := v.xy(90, v.lon0-180)
	wx1, wy1 := v.xy(-90, v.lon0+180)
	v.clip = rect{math.Max(v.clip.x0, wx0), math.Max(v.clip.y0, wy0), math.Min(v.clip.x1, wx1), math.Min(v.clip.y1, wy1)}
	v.lonLo, v.lonHi = math.Max(v.lonLo, v.lon0-180), math.Min(v.lonHi, v.lon0+180)
	v.latLo, v.latHi = math.Max(v.latLo, -90), math.Min(v.latHi, 90)
	return v
}

// xy projects a point whose longitude is already on the view's side of the antimeridian.
func (v *view) xy(lat, lon float64) (x, y float64) {
	return v.w/2 + (lon-v.lon0)*v.k*v.scale, v.h/2 - (lat-v.lat0)*v.scale
}

// near returns lon shifted by a multiple of 360° to within 180° of the view's centre.
func (v *view) near(lon float64) float64 {
	return v.lon0 + normLon(lon-v.lon0)
}

// shifts returns the multiples of 360° by which an unwrapped shape with extent e must be
// moved to appear in the view (usually one, none when it is out of sight).
func (v *view) shifts(e extent, buf []float64) []float64 {
	buf = buf[:0]
	if e.empty() || e.latHi < v.latLo || e.latLo > v.latHi {
		return buf
	}
	// Slightly beyond the view, so strokes at the edge are kept.
	m := 2 * clipMarginPx / (v.k * v.scale)
	for s := -720.0; s <= 720; s += 360 {
		if e.lonHi+s >= v.lonLo-m && e.lonLo+s <= v.lonHi+m {
			buf = append(buf, s)
		}
	}
	return buf
}

// project projects pts (shifted by s degrees of longitude) and drops every point closer
// than minStep pixels to the last one kept; the last point is always kept.
func (v *view) project(pts [][2]float64, s, minStep float64, out [][2]float64) [][2]float64 {
	out = out[:0]
	m2 := minStep * minStep
	for i, p := range pts {
		x, y := v.xy(p[0], p[1]+s)
		if n := len(out); n > 0 && i < len(pts)-1 {
			dx, dy := x-out[n-1][0], y-out[n-1][1]
			if dx*dx+dy*dy < m2 {
				continue
			}
		}
		out = append(out, [2]float64{x, y})
	}
	return out
}

// clipper clips closed rings to a rectangle (Sutherland–Hodgman, one edge at a time),
// reusing two buffers. A clipped ring may run along the edges of the rectangle, which
// lie outside the picture.
type clipper struct{ bufs [2][][2]float64 }

// polygon returns the clipped ring; it is valid until the next call.
func (c *clipper) polygon(pts [][2]float64, r rect) [][2]float64 {
	inside := true
	for _, p := range pts {
		if !r.contains(p) {
			inside = false
			break
		}
	}
	if inside {
		return pts
	}
	in := pts
	for edge := range 4 {
		if len(in) == 0 {
			break
		}
		keep := func(p [2]float64) bool {
			switch edge {
			case 0:
				return p[0] >= r.x0
			case 1:
				return p[0] <= r.x1
			case 2:
				return p[1] >= r.y0
			default:
				return p[1] <= r.y1
			}
		}
		cut := func(a, b [2]float64) [2]float64 {
			var t float64
			switch edge {
			case 0:
				t = (r.x0 - a[0]) / (b[0] - a[0])
			case 1:
				t = (r.x1 - a[0]) / (b[0] - a[0])
			case 2:
				t = (r.y0 - a[1]) / (b[1] - a[1])
			default:
				t = (r.y1 - a[1]) / (b[1] - a[1])
			}
			return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
		}
		// Edges alternate between the two buffers, so out never aliases in.
		out := c.bufs[edge%2][:0]
		prev := in[len(in)-1]
		for _, p := range in {
			switch pin, qin := keep(p), keep(prev); {
			case pin && qin:
				out = append(out, p)
			case pin:
				out = append(out, cut(prev, p), p)
			case qin:
				out = append(out, cut(prev, p))
			}
			prev = p
		}
		c.bufs[edge%2] = out
		in = out
	}
	return in
}

// clipLine clips a polyline to r (Liang–Barsky per segment); it may fall into pieces.
func clipLine(pts [][2]float64, r rect) [][][2]float64 {
	var lines [][][2]float64
	var cur [][2]float64
	for i := 1; i < len(pts); i++ {
		a, b, ok := clipSegment(pts[i-1], pts[i], r)
		if !ok {
			continue
		}
		if n := len(cur); n == 0 || cur[n-1] != a {
			if len(cur) >= 2 {
				lines = append(lines, cur)
			}
			cur = [][2]float64{a}
		}
		cur = append(cur, b)
	}
	if len(cur) >= 2 {
		lines = append(lines, cur)
	}
	return lines
}

func clipSegment(a, b [2]float64, r rect) (ca, cb [2]float64, ok bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := b[0]-a[0], b[1]-a[1]
	for _, c := range [4][2]float64{{-dx, a[0] - r.x0}, {dx, r.x1 - a[0]}, {-dy, a[1] - r.y0}, {dy, r.y1 - a[1]}} {
		p, q := c[0], c[1]
		if p == 0 {
			if q < 0 {
				return a, b, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return a, b, false
		}
	}
	ca = [2]float64{a[0] + t0*dx, a[1] + t0*dy}
	cb = [2]float64{a[0] + t1*dx, a[1] + t1*dy}
	if t0 == 0 {
		ca = a
	}
	if t1 == 1 {
		cb = b
	}
	return ca, cb, true
}
