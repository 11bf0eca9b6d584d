package geo

import (
	"math"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// areaCentres computes a representative point for areas whose gazetteer point is a seat or
// missing. A country keeps its nominal point (see centroidCountries); one without a point,
// and the United States, get the centroid of their largest outline ring (the contiguous
// states). A first-level division's is the mean of its second-level divisions' points (or
// of its towns' when it has fewer than three), halfway to the middle of their bounding
// box; a second-level division without a point gets the mean of its towns. Gazetteers
// and annotators place an area at its middle, not at its capital, so this is what Parse
// reports.
func areaCentres(g *gazetteer.Gazetteer) map[int64][2]float64 {
	out := map[int64][2]float64{}
	for _, c := range g.Countries() {
		if c.Place == nil || c.Place.HasPoint() && !centroidCountries[c.Place.Country] {
			continue
		}
		if lat, lon, ok := largestRingCentroid(c.Rings()); ok {
			out[c.Place.ID] = [2]float64{lat, lon}
		}
	}
	type acc struct {
		x, y, z float64
		n       int
		box     bbox
	}
	add := func(a *acc, lat, lon float64) {
		la, lo := lat*math.Pi/180, lon*math.Pi/180
		a.x += math.Cos(la) * math.Cos(lo)
		a.y += math.Cos(la) * math.Sin(lo)
		a.z += math.Sin(la)
		a.n++
		a.box.add(lat, lon)
	}
	mean := func(a *acc) [2]float64 {
		lon := math.Atan2(a.y, a.x)
		lat := math.Atan2(a.z, math.Hypot(a.x, a.y))
		// The mean leans towards the crowded part of a region, the middle of the box
		// towards its outliers; the point halfway is closer to where gazetteers put it.
		m := [2]float64{lat * 180 / math.Pi, lon * 180 / math.Pi}
		b := a.box.mid()
		return [2]float64{(m[0] + b[0]) / 2, (m[1] + b[1]) / 2}
	}
	adm2 := map[string]*acc{}
	cities := map[string]*acc{}
	cities2 := map[string]*acc{}
	get := func(m map[string]*acc, k string) *acc {
		a := m[k]
		if a == nil {
			a = &acc{}
			m[k] = a
		}
		return a
	}
	for p := range g.Places() {
		if !p.HasPoint() || p.Country == "" || p.Admin1 == "" {
			continue
		}
		k := p.Country + "." + p.Admin1
		switch p.Kind {
		case gazetteer.KindAdmin2:
			add(get(adm2, k), p.Lat, p.Lon)
		case gazetteer.KindCity:
			add(get(cities, k), p.Lat, p.Lon)
			if p.Admin2 != "" {
				add(get(cities2, k+"."+p.Admin2), p.Lat, p.Lon)
			}
		}
	}
	for p := range g.Places() {
		switch p.Kind {
		case gazetteer.KindAdmin1:
			k := p.Country + "." + p.Admin1
			var c [2]float64
			ok := false
			if a := adm2[k]; a != nil && a.n >= 3 {
				c, ok = mean(a), true
			} else if a := cities[k]; a != nil && a.n >= 3 {
				c, ok = mean(a), true
			}
			if lat, lon, has := g.LabelPoint(p.ID); has && ok {
				c = [2]float64{(1-labelWeight)*c[0] + labelWeight*lat, (1-labelWeight)*c[1] + labelWeight*lon}
			}
			if ok {
				out[p.ID] = c
			}
		case gazetteer.KindAdmin2:
			if p.HasPoint() {
				continue
			}
			if a := cities2[p.Country+"."+p.Admin1+"."+p.Admin2]; a != nil {
				out[p.ID] = mean(a)
			}
		}
	}
	return out
}

// labelWeight is the share of a first-level division's Natural Earth label point in its
// reported point; the rest is the towns' centre above. Town centres lean towards where
// people live (southern Alberta, coastal New South Wales), label points are cartographic
// placements that can sit oddly (Indiana's in its south); two parts to one was measured to
// beat either alone on both dev corpora.
const labelWeight = 0.4

// centroidCountries are the countries reported at the centroid of their largest outline
// ring rather than at their nominal point. A country's nominal point (GeoNames
// countryInfo, the Factbook, mledoze: "35°N 105°E") is the conventional coordinate that
// gazetteers, Wikipedia and annotators give the country; the United States' (38°N 97°W)
// is a rounded value some 250 km from the geographic centre of the contiguous states
// (39.8°N 98.6°W) that GeoNames' own feature and news annotators use, which the centroid
// of its largest ring reproduces.
var centroidCountries = map[string]bool{"US": true}

// largestRingCentroid returns the area centroid of the ring of largest area ([lat, lon]
// points, planar in degrees: good enough for a representative point).
func largestRingCentroid(rings [][][2]float64) (lat, lon float64, ok bool) {
	bestA := 0.0
	for _, r := range rings {
		var a, cx, cy float64
		for i := range r {
			j := (i + 1) % len(r)
			x0, y0 := r[i][1], r[i][0]
			x1, y1 := r[j][1], r[j][0]
			cr := x0*y1 - x1*y0
			a += cr
			cx += (x0 + x1) * cr
			cy += (y0 + y1) * cr
		}
		if a == 0 {
			continue
		}
		if math.Abs(a) > bestA {
			bestA = math.Abs(a)
			lon, lat = cx/(3*a), cy/(3*a)
			ok = true
		}
	}
	return lat, lon, ok
}

// bbox is the bounding box of points, kept in two longitude frames ([-180, 180) and
// [0, 360)) so that a region across the antimeridian gets its narrow box.
type bbox struct {
	n                    int
	minLat, maxLat       float64
	minLon, maxLon       float64
	minLon360, maxLon360 float64
}

func (b *bbox) add(lat, lon float64) {
	l360 := lon
	if l360 < 0 {
		l360 += 360
	}
	if b.n == 0 {
		b.minLat, b.maxLat, b.minLon, b.maxLon, b.minLon360, b.maxLon360 = lat, lat, lon, lon, l360, l360
	} else {
		b.minLat, b.maxLat = min(b.minLat, lat), max(b.maxLat, lat)
		b.minLon, b.maxLon = min(b.minLon, lon), max(b.maxLon, lon)
		b.minLon360, b.maxLon360 = min(b.minLon360, l360), max(b.maxLon360, l360)
	}
	b.n++
}

// mid is the middle of the box.
func (b *bbox) mid() [2]float64 {
	lat := (b.minLat + b.maxLat) / 2
	if b.maxLon-b.minLon <= b.maxLon360-b.minLon360 {
		return [2]float64{lat, (b.minLon + b.maxLon) / 2}
	}
	lon := (b.minLon360 + b.maxLon360) / 2
	if lon >= 180 {
		lon -= 360
	}
	return [2]float64{lat, lon}
}
