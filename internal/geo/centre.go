package geo

import (
	"math"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// areaCentres computes a representative point for areas whose gazetteer point is a seat or
// missing: a country's is the centroid of its largest outline ring (the contiguous United
// States, metropolitan France); a first-level division's the mean of its second-level
// divisions' points (or of its towns' when it has fewer than three); a second-level
// division without a point gets the mean of its towns. Gazetteers and annotators place an
// area at its middle, not at its capital, so this is what Parse reports.
func areaCentres(g *gazetteer.Gazetteer) map[int64][2]float64 {
	out := map[int64][2]float64{}
	for _, c := range g.Countries() {
		if c.Place == nil {
			continue
		}
		if lat, lon, ok := largestRingCentroid(c.Rings()); ok {
			out[c.Place.ID] = [2]float64{lat, lon}
		}
	}
	type acc struct {
		x, y, z float64
		n       int
	}
	add := func(a *acc, lat, lon float64) {
		la, lo := lat*math.Pi/180, lon*math.Pi/180
		a.x += math.Cos(la) * math.Cos(lo)
		a.y += math.Cos(la) * math.Sin(lo)
		a.z += math.Sin(la)
		a.n++
	}
	mean := func(a *acc) [2]float64 {
		lon := math.Atan2(a.y, a.x)
		lat := math.Atan2(a.z, math.Hypot(a.x, a.y))
		return [2]float64{lat * 180 / math.Pi, lon * 180 / math.Pi}
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
			if a := adm2[k]; a != nil && a.n >= 3 {
				out[p.ID] = mean(a)
			} else if a := cities[k]; a != nil && a.n >= 3 {
				out[p.ID] = mean(a)
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
