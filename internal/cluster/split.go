package cluster

import (
	"math"
	"slices"
	"time"
)

// splitPoint reports whether a story with n originals is due a split
// check: at from originals, then each time the count has grown by a
// quarter (from 6: 8, 10, 13, 17, 22, 28, 35, 44), up to max, so the work
// per story is bounded and amortised.
func splitPoint(n, from, max int) bool {
	if n < from || n > max {
		return false
	}
	for p := from; p <= n; p = int(math.Ceil(float64(p) * 1.25)) {
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
	if e.opts.SplitRatio <= 0 || !splitPoint(s.nonDup, e.opts.SplitFrom, e.opts.SplitMax) {
		return nil
	}
	var orig []*member
	for _, m := range s.members {
		if m.dupOf != "" {
			continue
		}
		if len(m.vec) == 0 {
			return nil // a title-only report: too short to part reliably
		}
		orig = append(orig, m)
	}
	a, b, ok := e.bisect(orig)
	if !ok || sequential(a, b) {
		return nil
	}
	first := slices.MinFunc(orig, func(x, y *member) int { return int(x.seq) - int(y.seq) })
	if slices.Contains(b, first) {
		b = a // the part with the story's first article stays
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
	s.splitOff = append(s.splitOff, ns.id)
	ns.splitFrom = s.id
	e.rebuild(s, keep)
	e.rebuild(ns, move)
	moves := make([]Move, 0, len(move))
	for _, m := range move {
		moves = append(moves, Move{ArticleID: m.id, From: s.id, To: ns.id, DuplicateOf: m.dupOf})
	}
	return moves
}

// bisect parts ms in two and reports whether the parts are two events.
// Average-linkage agglomerative clustering builds the whole tree; from the
// root down, a branch with fewer than SplitMinGroup members is set aside
// as outliers (at most a quarter of ms) and the walk goes on into the
// other, until a node has two branches of SplitMinGroup or more. Those
// are two events when the mean similarity between them is below
// SplitRatio × the mean similarity within them; the outliers then go to
// the part they are closer to on average.
func (e *Engine) bisect(ms []*member) (a, b []*member, ok bool) {
	n := len(ms)
	minGroup := e.opts.SplitMinGroup
	if n < 2*minGroup {
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
	// Tree nodes: leaves 0..n-1, then one node per merge. link holds the
	// summed similarity between live clusters (slot = the cluster's first
	// leaf), so their average is link / (|A|·|B|).
	type node struct{ left, right, size int }
	nodes := make([]node, n, 2*n-1)
	for i := range n {
		nodes[i] = node{-1, -1, 1}
	}
	slot := make([]int, n) // live cluster in each slot → its node
	for i := range n {
		slot[i] = i
	}
	link := slices.Clone(sim)
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	for left := n; left > 1; left-- {
		bi, bj, best := -1, -1, math.Inf(-1)
		for i := range n {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if !alive[j] {
					continue
				}
				if avg := link[i*n+j] / float64(nodes[slot[i]].size*nodes[slot[j]].size); avg > best {
					bi, bj, best = i, j, avg
				}
			}
		}
		nodes = append(nodes, node{slot[bi], slot[bj], nodes[slot[bi]].size + nodes[slot[bj]].size})
		slot[bi] = len(nodes) - 1
		alive[bj] = false
		for k := range n {
			if alive[k] && k != bi {
				link[bi*n+k] += link[bj*n+k]
				link[k*n+bi] = link[bi*n+k]
			}
		}
	}
	var leaves func(x int, out []int) []int
	leaves = func(x int, out []int) []int {
		if nodes[x].left < 0 {
			return append(out, x)
		}
		return leaves(nodes[x].right, leaves(nodes[x].left, out))
	}
	var outliers []int
	x := len(nodes) - 1
	for {
		l, r := nodes[x].left, nodes[x].right
		if l < 0 {
			return nil, nil, false
		}
		if nodes[l].size < nodes[r].size {
			l, r = r, l
		}
		if nodes[r].size >= minGroup {
			break
		}
		outliers = leaves(r, outliers)
		if 4*len(outliers) > n {
			return nil, nil, false
		}
		x = l
	}
	pa, pb := leaves(nodes[x].left, nil), leaves(nodes[x].right, nil)
	mean := func(g, h []int) float64 { // mean similarity between g and h (within g when h is nil)
		var s float64
		var k int
		for i, x := range g {
			if h == nil {
				for _, y := range g[i+1:] {
					s += sim[x*n+y]
					k++
				}
				continue
			}
			for _, y := range h {
				s += sim[x*n+y]
				k++
			}
		}
		return s / float64(max(k, 1))
	}
	w := (mean(pa, nil) + mean(pb, nil)) / 2
	if w <= 0 || mean(pa, pb) >= e.opts.SplitRatio*w {
		return nil, nil, false
	}
	for _, o := range outliers {
		if mean([]int{o}, pa) >= mean([]int{o}, pb) {
			pa = append(pa, o)
		} else {
			pb = append(pb, o)
		}
	}
	for _, i := range pa {
		a = append(a, ms[i])
	}
	for _, i := range pb {
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
		if !m.published.IsZero() {
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

// sequential reports whether two dated parts of a story follow one another
// in time rather than run side by side: fewer than a quarter of the
// articles fall inside the other part's time span. A story that keeps
// going is reported in phases (each day's reports quote that day's
// people), and phases are not two events; two events mixed in one story
// are reported at the same time. Parts with an undated article are never
// sequential (no time evidence).
func sequential(a, b []*member) bool {
	span := func(g []*member) (lo, hi time.Time, ok bool) {
		for _, m := range g {
			if m.published.IsZero() {
				return lo, hi, false
			}
			if lo.IsZero() || m.published.Before(lo) {
				lo = m.published
			}
			if m.published.After(hi) {
				hi = m.published
			}
		}
		return lo, hi, true
	}
	alo, ahi, ok1 := span(a)
	blo, bhi, ok2 := span(b)
	if !ok1 || !ok2 {
		return false
	}
	inside := 0
	for _, m := range a {
		if !m.published.Before(blo) && !m.published.After(bhi) {
			inside++
		}
	}
	for _, m := range b {
		if !m.published.Before(alo) && !m.published.After(ahi) {
			inside++
		}
	}
	return 4*inside < len(a)+len(b)
}

// splitPair reports whether one of a and b was split from the other: two
// stories the engine found to be two events are never merged again.
func splitPair(a, b *story) bool {
	return a.splitFrom == b.id || b.splitFrom == a.id
}

// MarkSplit records that story to was split from story from (both live;
// otherwise nothing happens), as a restarted process learns it from the
// stored records: the two are never merged.
func (e *Engine) MarkSplit(from, to string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, t := e.stories[e.resolve(from)], e.stories[e.resolve(to)]
	if f == nil || t == nil || f == t || splitPair(f, t) {
		return
	}
	t.splitFrom = f.id
	f.splitOff = append(f.splitOff, t.id)
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
