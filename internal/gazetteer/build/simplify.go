package build

import "math"

// simplifyRing applies Douglas–Peucker with tolerance tol (degrees, planar) to a closed ring
// of [lon, lat] points whose last point repeats the first. The result is closed too.
func simplifyRing(ring [][2]float64, tol float64) [][2]float64 {
	n := len(ring)
	if n > 1 && ring[0] == ring[n-1] {
		n--
	}
	if n < 4 {
		return nil
	}
	pts := ring[:n]
	// Split the ring at its first point and the point farthest from it, then simplify both
	// open halves.
	far, best := 0, -1.0
	for i, p := range pts {
		if d := sqDist(p, pts[0]); d > best {
			far, best = i, d
		}
	}
	keep := make([]bool, n+1)
	keep[0], keep[far], keep[n] = true, true, true
	closed := append(pts[:n:n], pts[0])
	dp(closed, 0, far, tol*tol, keep)
	dp(closed, far, n, tol*tol, keep)
	var out [][2]float64
	for i, k := range keep {
		if k {
			out = append(out, closed[i])
		}
	}
	if len(out) < 4 {
		return nil
	}
	return out
}

// dp marks the points of pts[a..b] that Douglas–Peucker keeps, iteratively.
func dp(pts [][2]float64, a, b int, tol2 float64, keep []bool) {
	type span struct{ a, b int }
	stack := []span{{a, b}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		idx, best := -1, tol2
		for i := s.a + 1; i < s.b; i++ {
			if d := segSqDist(pts[i], pts[s.a], pts[s.b]); d > best {
				idx, best = i, d
			}
		}
		if idx < 0 {
			continue
		}
		keep[idx] = true
		stack = append(stack, span{s.a, idx}, span{idx, s.b})
	}
}

func sqDist(p, q [2]float64) float64 {
	dx, dy := p[0]-q[0], p[1]-q[1]
	return dx*dx + dy*dy
}

// segSqDist is the squared planar distance from p to segment ab.
func segSqDist(p, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return sqDist(p, a)
	}
	t := ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return sqDist(p, [2]float64{a[0] + t*dx, a[1] + t*dy})
}
