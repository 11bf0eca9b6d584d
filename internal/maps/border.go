package maps

import (
	"math"
	"strconv"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// NearestBorderPoint returns the point of the land border shared by countries a and b
// (gazetteer.SharedBorder) nearest to (lat, lon), and its great-circle distance in km:
// the far end of a Line from the reader to the border. ok is false when they share none.
func NearestBorderPoint(g *gazetteer.Gazetteer, a, b string, lat, lon float64) (blat, blon, km float64, ok bool) {
	km = math.Inf(1)
	for _, line := range g.SharedBorder(a, b) {
		for i := 1; i < len(line); i++ {
			p := nearestOnSegment(line[i-1], line[i], lat, lon)
			if d := gazetteer.DistanceKm(lat, lon, p[0], p[1]); d < km {
				blat, blon, km, ok = p[0], p[1], d, true
			}
		}
	}
	if !ok {
		return 0, 0, 0, false
	}
	return blat, blon, km, true
}

// nearestOnSegment returns the point of segment pq nearest to (lat, lon), measured in an
// equirectangular plane centred on (lat, lon): exact enough for picking a border point.
func nearestOnSegment(p, q [2]float64, lat, lon float64) [2]float64 {
	k := math.Cos(lat * math.Pi / 180)
	dlon := func(x float64) float64 { return normLon(x-lon) * k }
	px, py := dlon(p[1]), p[0]-lat
	qx, qy := px+normLon(q[1]-p[1])*k, q[0]-lat
	dx, dy := qx-px, qy-py
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, -(px*dx+py*dy)/l2))
	}
	return [2]float64{p[0] + t*(q[0]-p[0]), normLon(p[1] + t*normLon(q[1]-p[1]))}
}

// FormatKm formats a distance for a label: "1,429 km", "12 km", "0.4 km".
func FormatKm(km float64) string {
	if km < 10 {
		return strconv.FormatFloat(math.Round(km*10)/10, 'f', -1, 64) + " km"
	}
	return gazetteer.GroupThousands(int64(math.Round(km))) + " km"
}
