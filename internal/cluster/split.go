package cluster

import (
	"math"
	"slices"
	"time"
)

// splitPoint reports whether a story with n originals is due a split
// check: at 4 originals, then each time the count has grown by a quarter
// (5, 7, 9, 12, 15, 19, 24, 30, 38, 48), so the work per story is bounded
// and amortised.
func splitPoint(n, max int) bool {
	if n < 4 || n > max {
		return false
	}
	for p := 4; p <= n; p = int(math.Ceil(float64(p) * 1.25)) {
		if p == n {
			return true
		}
	}
	return false
}

// pairSim is the similarity of two articles of one story, on the terms the
// joining similarity uses: text cosine plus NameWeight × (name cosine −
// NameBase) when both carry names. Two reports dated within
// AgreementGrace of each other are not pulled apart by their names (they
// quote different people about one event).
func (e *Engine) pairSim(a, b *member, av, bv, an, bn vector) float64 {
	sim := dot(av, bv)
	if len(an) > 0 && len(bn) > 0 && e.opts.NameWeight > 0 {
		t := e.opts.NameWeight * (dot(an, bn) - e.opts.NameBase)
		if t < 0 && e.opts.AgreementGrace > 0 && !a.published.IsZero() && !b.published.IsZero() {
			gap := a.published.Sub(b.published)
			if gap <= e.opts.AgreementGrace && gap >= -e.opts.AgreementGrace {
				t = 0
			}
		}
		sim += t
	}
	return sim
}

// maybeSplit checks s for two events when it is at a split point and, if
// it holds two, moves the articles of the part without its first article
// (and their duplicates) to a new story. It returns the moves.
func (e *Engine) maybeSplit(s *story) []Move {
	if e.opts.SplitRatio <= 0 || !splitPoint(s.nonDup, e.opts.SplitMax) {
		return nil
	}
	var orig []*member
	for _, m := range s.members {
		if m.dupOf != "" {
			continue
		}
		if m.short || len(m.vec) == 0 {
			return nil // title-only reports are too short to part reliably
		}
		orig = append(orig, m)
	}
	a, b, ok := e.bisect(orig)
	if !ok {
		return nil
	}
	first := slices.MinFunc(orig, func(x, y *member) int { return int(x.seq) - int(y.seq) })
	if slices.Contains(b, first) {
		a, b = b, a
	}
	moving := map[string]bool{}
	for _, m := range b {
		moving[m.id] = true
	}
	var keep, move []*member
	for _, m := range s.members {
		if moving[m.id] || (m.dupOf != "" && moving[m.dupOf]) {
			move = append(move, m)
		} else {
			keep = append(keep, m)
		}
	}
	firstMoved := slices.MinFunc(b, func(x, y *member) int { return int(x.seq) - int(y.seq) })
	ns := e.newStory(firstMoved.id)
	ns.seq = firstMoved.seq
	if s.apart == nil {
		s.apart = map[string]bool{}
	}
	s.apart[ns.id] = true
	ns.apart = map[string]bool{s.id: true}
	e.rebuild(s, keep)
	e.rebuild(ns, move)
	moves := make([]Move, 0, len(move))
	for _, m := range move {
		moves = append(moves, Move{ArticleID: m.id, From: s.id, To: ns.id, DuplicateOf: m.dupOf})
	}
	return moves
}

// bisect parts ms in two by average-linkage agglomerative clustering and
// reports whether the parts are two events: each has SplitMinGroup
// members and the mean similarity between them is below SplitRatio × the
// mean similarity within them.
func (e *Engine) bisect(ms []*member) (a, b []*member, ok bool) {
	n := len(ms)
	if n < 2*e.opts.SplitMinGroup {
		return nil, nil, false
	}
	vs, ns := make([]vector, n), make([]vector, n)
	for i, m := range ms {
		vs[i], ns[i] = e.weigh(m.vec), e.weigh(m.names)
	}
	sim := make([]float64, n*n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			x := e.pairSim(ms[i], ms[j], vs[i], vs[j], ns[i], ns[j])
			sim[i*n+j], sim[j*n+i] = x, x
		}
	}
	// clusters as index lists; link holds the summed similarity between
	// clusters, so the average is link / (|A|·|B|)
	groups := make([][]int, n)
	link := slices.Clone(sim)
	alive := make([]bool, n)
	for i := range n {
		groups[i] = []int{i}
		alive[i] = true
	}
	for left := n; left > 2; left-- {
		bi, bj, best := -1, -1, math.Inf(-1)
		for i := range n {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if !alive[j] {
					continue
				}
				if avg := link[i*n+j] / float64(len(groups[i])*len(groups[j])); avg > best {
					bi, bj, best = i, j, avg
				}
			}
		}
		groups[bi] = append(groups[bi], groups[bj]...)
		alive[bj] = false
		for k := range n {
			if alive[k] && k != bi {
				link[bi*n+k] += link[bj*n+k]
				link[k*n+bi] = link[bi*n+k]
			}
		}
	}
	var parts [][]int
	for i := range n {
		if alive[i] {
			parts = append(parts, groups[i])
		}
	}
	if len(parts) != 2 || min(len(parts[0]), len(parts[1])) < e.opts.SplitMinGroup {
		return nil, nil, false
	}
	within := func(g []int) float64 {
		var s float64
		for x := range g {
			for y := x + 1; y < len(g); y++ {
				s += sim[g[x]*n+g[y]]
			}
		}
		return s / float64(len(g)*(len(g)-1)/2)
	}
	var between float64
	for _, x := range parts[0] {
		for _, y := range parts[1] {
			between += sim[x*n+y]
		}
	}
	between /= float64(len(parts[0]) * len(parts[1]))
	w := (within(parts[0]) + within(parts[1])) / 2
	if w <= 0 || between >= e.opts.SplitRatio*w {
		return nil, nil, false
	}
	for _, i := range parts[0] {
		a = append(a, ms[i])
	}
	for _, i := range parts[1] {
		b = append(b, ms[i])
	}
	return a, b, true
}

// rebuild recomputes a story's state from members (in arrival order).
func (e *Engine) rebuild(s *story, members []*member) {
	s.members = s.members[:0:0]
	s.nonDup = 0
	s.days = [7]float32{}
	s.entities = map[string]int{}
	s.places = map[int64]float64{}
	s.firstSeen, s.lastSeen = time.Time{}, time.Time{}
	var c, names vector
	for _, m := range members {
		m.story = s
		s.members = append(s.members, m)
		if m.published.IsZero() {
			// no time
		} else {
			if s.firstSeen.IsZero() || m.published.Before(s.firstSeen) {
				s.firstSeen = m.published
			}
			if m.published.After(s.lastSeen) {
				s.lastSeen = m.published
			}
		}
		s.lastSeq = max(s.lastSeq, m.seq)
		if m.dupOf != "" {
			continue
		}
		s.nonDup++
		for i, n := range m.days {
			s.days[i] += n
		}
		for _, en := range m.entities {
			s.entities[en]++
		}
		for id, w := range m.places {
			s.places[id] += w
		}
		c = add(c, e.weigh(m.vec), 1)
		if len(m.names) > 0 {
			names = add(names, e.weigh(m.names), 1)
		}
	}
	e.setCentroid(s, c)
	s.names = slices.Clone(topK(names, e.opts.NameTerms))
	s.nnorm = s.names.norm()
}

// StoryOf returns the story an article is in now: its live story when it is
// still in the window (after any split), else joined (the story it was
// assigned on arrival) resolved through merge redirects.
func (e *Engine) StoryOf(articleID, joined string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m, ok := e.docs[articleID]; ok && !m.story.dead {
		return m.story.id
	}
	return e.resolve(joined)
}
