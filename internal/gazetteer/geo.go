package gazetteer

import (
	"math"
	"slices"
	"strings"
)

const earthRadiusKm = 6371.0088

// DistanceKm is the great-circle (haversine) distance between two points in degrees.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(math.Min(1, a)))
}

// ring is a closed polygon ring as [lat, lon] points; the last point repeats the first.
type ring struct {
	pts [][2]float64
	box box
}

type box struct{ minLat, minLon, maxLat, maxLon float64 }

func (b box) contains(lat, lon float64) bool {
	return lat >= b.minLat && lat <= b.maxLat && lon >= b.minLon && lon <= b.maxLon
}

func (b box) grow(lat, lon float64) box {
	return box{math.Min(b.minLat, lat), math.Min(b.minLon, lon), math.Max(b.maxLat, lat), math.Max(b.maxLon, lon)}
}

var emptyBox = box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}

func makeRings(raw [][]int32) ([]ring, box) {
	all := emptyBox
	rs := make([]ring, 0, len(raw))
	for _, r := range raw {
		pts := make([][2]float64, len(r)/2)
		b := emptyBox
		for i := range pts {
			pts[i] = [2]float64{float64(r[2*i]) / 1e4, float64(r[2*i+1]) / 1e4}
			b = b.grow(pts[i][0], pts[i][1])
		}
		rs = append(rs, ring{pts, b})
		all = all.grow(b.minLat, b.minLon).grow(b.maxLat, b.maxLon)
	}
	return rs, all
}

// Rings returns the country's simplified Natural Earth 1:50m outline as closed rings of
// [lat, lon] points (outer rings and holes alike; use the even-odd rule).
func (c *Country) Rings() [][][2]float64 {
	out := make([][][2]float64, len(c.rings))
	for i, r := range c.rings {
		out[i] = slices.Clone(r.pts)
	}
	return out
}

// Contains reports whether the point lies inside the country's polygon (simplified, so
// within a kilometre or two of the border the answer may be wrong).
func (g *Gazetteer) Contains(iso2 string, lat, lon float64) bool {
	c, ok := g.Country(iso2)
	return ok && c.contains(lat, lon)
}

func (c *Country) contains(lat, lon float64) bool {
	if !c.bbox.contains(lat, lon) {
		return false
	}
	in := false
	for _, r := range c.rings {
		if !r.box.contains(lat, lon) {
			continue
		}
		pts := r.pts
		for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
			a, b := pts[i], pts[j]
			if (a[0] > lat) != (b[0] > lat) && lon < (b[1]-a[1])*(lat-a[0])/(b[0]-a[0])+a[1] {
				in = !in
			}
		}
	}
	return in
}

// CountryAt returns the country whose polygon contains the point.
func (g *Gazetteer) CountryAt(lat, lon float64) (*Country, bool) {
	for _, c := range g.countries {
		if c.contains(lat, lon) {
			return c, true
		}
	}
	return nil, false
}

// NearestPointOnCountry returns the point of the country's boundary nearest to (lat, lon)
// and its distance in km; a point inside the country is returned as is, at distance 0.
// ok is false for an unknown country or one without a polygon.
func (g *Gazetteer) NearestPointOnCountry(iso2 string, lat, lon float64) (nlat, nlon, km float64, ok bool) {
	c, found := g.Country(iso2)
	if !found || len(c.rings) == 0 {
		return 0, 0, 0, false
	}
	if c.contains(lat, lon) {
		return lat, lon, 0, true
	}
	q := newProjection(lat, lon)
	best := math.Inf(1)
	for _, r := range c.rings {
		if q.boxLowerKm(r.box) > best {
			continue
		}
		for i := 1; i < len(r.pts); i++ {
			if d, p := q.segment(r.pts[i-1], r.pts[i]); d < best {
				best, nlat, nlon = d, p[0], p[1]
			}
		}
	}
	return nlat, nlon, DistanceKm(lat, lon, nlat, nlon), true
}

// projection is an azimuthal equidistant projection centred on a query point,
// in km: distances from the centre are exact on the sphere, so the nearest of
// many short segments is found correctly even across an ocean or the
// antimeridian.
type projection struct{ lat, lon, sinLat, cosLat float64 }

func newProjection(lat, lon float64) projection {
	φ := lat * math.Pi / 180
	return projection{lat: lat, lon: lon, sinLat: math.Sin(φ), cosLat: math.Cos(φ)}
}

func (q projection) xy(p [2]float64) (x, y float64) {
	φ := p[0] * math.Pi / 180
	dλ := (p[1] - q.lon) * math.Pi / 180
	sinφ, cosφ := math.Sin(φ), math.Cos(φ)
	cosc := q.sinLat*sinφ + q.cosLat*cosφ*math.Cos(dλ)
	c := math.Acos(math.Max(-1, math.Min(1, cosc)))
	if c < 1e-12 {
		return 0, 0
	}
	e := cosφ * math.Sin(dλ)
	n := q.cosLat*sinφ - q.sinLat*cosφ*math.Cos(dλ)
	h := math.Hypot(e, n)
	if h == 0 {
		return 0, earthRadiusKm * c
	}
	k := earthRadiusKm * c / h
	return e * k, n * k
}

// segment returns the projected distance (km) to segment ab and its nearest
// point; the segment is interpolated across the antimeridian the short way.
func (q projection) segment(a, b [2]float64) (float64, [2]float64) {
	ax, ay := q.xy(a)
	bx, by := q.xy(b)
	t, x, y := nearestOnSegment(ax, ay, bx, by)
	dlon := b[1] - a[1]
	if dlon > 180 {
		dlon -= 360
	} else if dlon < -180 {
		dlon += 360
	}
	lon := a[1] + t*dlon
	if lon > 180 {
		lon -= 360
	} else if lon < -180 {
		lon += 360
	}
	return math.Hypot(x, y), [2]float64{a[0] + t*(b[0]-a[0]), lon}
}

// boxLowerKm is a conservative lower bound of the distance to anything in b.
func (q projection) boxLowerKm(b box) float64 {
	if math.IsInf(b.minLat, 1) {
		return math.Inf(1)
	}
	lat := math.Max(b.minLat, math.Min(b.maxLat, q.lat))
	lon := q.lon
	if q.lon < b.minLon || q.lon > b.maxLon {
		if lonGap(q.lon, b.minLon) < lonGap(q.lon, b.maxLon) {
			lon = b.minLon
		} else {
			lon = b.maxLon
		}
	}
	// the clamped point is not always the nearest on a sphere; keep a margin
	return 0.7 * DistanceKm(q.lat, q.lon, lat, lon)
}

// equirect is a plain equirectangular projection in degrees centred on a
// point, for tolerances of a few hundredths of a degree (shared borders).
type equirect struct{ lat, lon, k float64 }

func newEquirect(lat, lon float64) equirect {
	return equirect{lat, lon, math.Cos(lat * math.Pi / 180)}
}

func (q equirect) xy(p [2]float64) (x, y float64) {
	dl := p[1] - q.lon
	if dl > 180 {
		dl -= 360
	} else if dl < -180 {
		dl += 360
	}
	return dl * q.k, p[0] - q.lat
}

// segment2 is the squared projected distance to segment ab.
func (q equirect) segment2(a, b [2]float64) float64 {
	ax, ay := q.xy(a)
	bx, by := q.xy(b)
	_, x, y := nearestOnSegment(ax, ay, bx, by)
	return x*x + y*y
}

// nearestOnSegment returns the point of segment (ax,ay)–(bx,by) nearest the
// origin, as its fraction t along the segment and its coordinates.
func nearestOnSegment(ax, ay, bx, by float64) (t, x, y float64) {
	dx, dy := bx-ax, by-ay
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	return t, ax + t*dx, ay + t*dy
}

// boxDist2 is a lower bound of the squared projected distance to anything in b.
func (q equirect) boxDist2(b box) float64 {
	if math.IsInf(b.minLat, 1) {
		return math.Inf(1)
	}
	dy := math.Max(0, math.Max(b.minLat-q.lat, q.lat-b.maxLat))
	dx := 0.0
	if q.lon < b.minLon || q.lon > b.maxLon {
		dx = math.Min(lonGap(q.lon, b.minLon), lonGap(q.lon, b.maxLon))
	}
	dx *= q.k
	return dx*dx + dy*dy
}

func lonGap(a, b float64) float64 {
	d := math.Abs(a - b)
	return math.Min(d, 360-d)
}

// SharedBorderToleranceDeg is how close, in degrees, a vertex of one country's simplified
// outline must come to a neighbour's outline to count as shared border.
const SharedBorderToleranceDeg = 0.03

// SharedBorder approximates the land border between two countries as polylines of [lat,
// lon] points: the stretches of a's outline that lie within SharedBorderToleranceDeg of
// b's. It is empty when the outlines do not touch.
func (g *Gazetteer) SharedBorder(a, b string) [][][2]float64 {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	key := [2]string{a, b}
	g.mu.Lock()
	lines, ok := g.borders[key]
	g.mu.Unlock()
	if ok {
		return lines
	}
	ca, okA := g.Country(a)
	cb, okB := g.Country(b)
	if okA && okB && a != b {
		lines = sharedBorder(ca, cb)
	}
	g.mu.Lock()
	g.borders[key] = lines
	g.mu.Unlock()
	return lines
}

func sharedBorder(a, b *Country) [][][2]float64 {
	const tol = SharedBorderToleranceDeg
	near := func(p [2]float64) bool {
		if p[0] < b.bbox.minLat-tol || p[0] > b.bbox.maxLat+tol || p[1] < b.bbox.minLon-tol || p[1] > b.bbox.maxLon+tol {
			return false
		}
		q := newEquirect(p[0], p[1])
		for _, r := range b.rings {
			if q.boxDist2(r.box) > tol*tol {
				continue
			}
			for i := 1; i < len(r.pts); i++ {
				if d2 := q.segment2(r.pts[i-1], r.pts[i]); d2 <= tol*tol {
					return true
				}
			}
		}
		return false
	}
	var lines [][][2]float64
	for _, r := range a.rings {
		if r.box.maxLat < b.bbox.minLat-tol || r.box.minLat > b.bbox.maxLat+tol ||
			r.box.maxLon < b.bbox.minLon-tol || r.box.minLon > b.bbox.maxLon+tol {
			continue
		}
		start := len(lines)
		flags := make([]bool, len(r.pts))
		for i, p := range r.pts {
			flags[i] = near(p)
		}
		var cur [][2]float64
		flush := func() {
			if len(cur) >= 2 {
				lines = append(lines, cur)
			}
			cur = nil
		}
		for i := 1; i < len(r.pts); i++ {
			p, q := r.pts[i-1], r.pts[i]
			mid := [2]float64{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
			if !flags[i-1] || !flags[i] || !near(mid) {
				flush()
				continue
			}
			if len(cur) == 0 {
				cur = append(cur, p)
			}
			cur = append(cur, q)
		}
		flush()
		// A ring starts at an arbitrary vertex: join a line that ends where the first began.
		if n := len(lines); n-start >= 2 {
			first, last := lines[start], lines[n-1]
			if last[len(last)-1] == first[0] && first[0] == r.pts[0] {
				lines[start] = append(last, first[1:]...)
				lines = lines[:n-1]
			}
		}
	}
	return lines
}

// DistanceToSharedBorderKm is the distance from a point to the nearest point of the
// border between countries a and b (see SharedBorder); ok is false when they share none.
func (g *Gazetteer) DistanceToSharedBorderKm(a, b string, lat, lon float64) (km float64, ok bool) {
	lines := g.SharedBorder(a, b)
	if len(lines) == 0 {
		return 0, false
	}
	q := newProjection(lat, lon)
	best := math.Inf(1)
	var nearest [2]float64
	for _, l := range lines {
		for i := 1; i < len(l); i++ {
			if d, p := q.segment(l[i-1], l[i]); d < best {
				best, nearest = d, p
			}
		}
	}
	return DistanceKm(lat, lon, nearest[0], nearest[1]), true
}
