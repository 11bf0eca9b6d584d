package lens

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Weights of the ranking score. A story's score is
//
//	Tier·tierValue + Topic·topicMatch + Recency·0.5^(age/HalfLife) + Size·sizeValue
//
// where tierValue is 1 (here), 0.85 (national), 0.75 (party), 0.6 (neighbour),
// 0.55 (nearby), 0.4 (regional), 0.3 (tied) or 0.1 (distant), times
// 0.75 + 0.25·exp(−km/1000) for the tiers measured by distance (neighbour,
// nearby, regional, tied); topicMatch is the highest score of a story topic
// the reader follows (0 when none; 0.5 for every story when the reader
// follows no topic); age is counted back from the newest story in the
// briefing; and sizeValue is min(1, log2(1+independent sources)/4).
// Ties are broken by the newest LastSeen, then by story ID.
type Weights struct {
	Tier, Topic, Recency, Size float64
	HalfLife                   time.Duration
}

func (w Weights) withDefaults() Weights {
	if w.Tier == 0 && w.Topic == 0 && w.Recency == 0 && w.Size == 0 {
		w.Tier, w.Topic, w.Recency, w.Size = 0.5, 0.25, 0.15, 0.10
	}
	if w.HalfLife <= 0 {
		w.HalfLife = 24 * time.Hour
	}
	return w
}

var tierValues = map[Tier]float64{Here: 1, National: 0.85, Party: 0.75, Neighbour: 0.6, Nearby: 0.55, Regional: 0.4, Tied: 0.3, Distant: 0.1}

func (w Weights) score(rel *Relation, topicMatch float64, age time.Duration, sources int) float64 {
	tv := tierValues[rel.Tier]
	switch rel.Tier {
	case Neighbour, Nearby, Regional, Tied:
		if rel.Km >= 0 {
			tv *= 0.75 + 0.25*math.Exp(-rel.Km/1000)
		}
	}
	rec := math.Exp2(-float64(max(age, 0)) / float64(w.HalfLife))
	size := min(1, math.Log2(1+float64(sources))/4)
	return w.Tier*tv + w.Topic*topicMatch + w.Recency*rec + w.Size*size
}

// topicScore is the best score of a story topic the reader follows, and
// whether there is one; 0.5 for every story when the reader follows none.
func topicScore(ts []article.Topic, interests []string) (float64, bool) {
	if len(interests) == 0 {
		return 0.5, false
	}
	best, any := 0.0, false
	for _, t := range ts {
		if slices.Contains(interests, t.Slug) {
			best, any = max(best, t.Score), true
		}
	}
	return best, any
}

// topicMatch is topicScore with the matched slugs, in the reader's order.
func topicMatch(ts []article.Topic, interests []string) (float64, []string) {
	if len(interests) == 0 {
		return 0.5, nil
	}
	best := 0.0
	var matched []string
	for _, in := range interests {
		for _, t := range ts {
			if t.Slug == in {
				best = max(best, t.Score)
				matched = append(matched, t.Slug)
			}
		}
	}
	return best, matched
}

// entry is a story as the index keeps it: what ranking needs, laid out for
// a fast sequential scan.
type entry struct {
	last    int64 // LastSeen, unix seconds
	sources int
	story   *article.Story // compact copy (no sources or summary), never modified
	view    view
}

// Index keeps every story in a compact form for fast briefings, with counts
// of how often two countries share a story's focus. It is safe for
// concurrent use.
type Index struct {
	g *gazetteer.Gazetteer

	mu      sync.RWMutex
	entries []entry
	pos     map[string]int // story ID → index in entries
	pairs   map[[2]string]int
	version uint64
}

// NewIndex returns an empty index.
func NewIndex(g *gazetteer.Gazetteer) *Index {
	return &Index{g: g, pos: map[string]int{}, pairs: map[[2]string]int{}}
}

// Len is the number of stories indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.entries)
}

// Version changes whenever the index does (for caches).
func (ix *Index) Version() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version
}

// Upsert adds or replaces stories; a story's Merged IDs are removed.
func (ix *Index) Upsert(sts ...article.Story) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i := range sts {
		st := sts[i]
		for _, m := range st.Merged {
			ix.remove(m)
		}
		compact := st
		compact.Sources, compact.SummarySentences, compact.Summary = nil, nil, ""
		e := entry{last: st.LastSeen.Unix(), sources: st.IndependentSourceCount, story: &compact, view: *newView(&compact)}
		if j, ok := ix.pos[st.ID]; ok {
			ix.countPairs(&ix.entries[j], -1)
			ix.entries[j] = e
			ix.countPairs(&ix.entries[j], 1)
			continue
		}
		ix.pos[st.ID] = len(ix.entries)
		ix.entries = append(ix.entries, e)
		ix.countPairs(&e, 1)
	}
	ix.version++
}

func (ix *Index) remove(id string) {
	j, ok := ix.pos[id]
	if !ok {
		return
	}
	ix.countPairs(&ix.entries[j], -1)
	last := len(ix.entries) - 1
	if j != last {
		ix.entries[j] = ix.entries[last]
		ix.pos[ix.entries[j].story.ID] = j
	}
	ix.entries[last] = entry{}
	ix.entries = ix.entries[:last]
	delete(ix.pos, id)
}

func (ix *Index) countPairs(e *entry, d int) {
	f := e.view.focus
	for i := range f {
		for j := i + 1; j < len(f); j++ {
			k := [2]string{min(f[i], f[j]), max(f[i], f[j])}
			if ix.pairs[k] += d; ix.pairs[k] <= 0 {
				delete(ix.pairs, k)
			}
		}
	}
}

// lockedCoMentions is coMentions for callers not holding ix.mu.
func (ix *Index) lockedCoMentions(a, b string) int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.coMentions(a, b)
}

// coMentions counts the stories whose focus holds both countries; the
// caller holds ix.mu.
func (ix *Index) coMentions(a, b string) int {
	return ix.pairs[[2]string{min(a, b), max(a, b)}]
}

// StorySource gives full story records (a store.Store is one).
type StorySource interface {
	Story(ctx context.Context, id string) (*article.Story, error)
}

// Query asks for a briefing.
type Query struct {
	Reader    *Reader
	Interests []string      // topic slugs
	Since     time.Duration // stories last seen within this span before the newest story (0: all)
	Limit     int           // stories that touch the place or match the interests (default 10)
	// Unaffected is how many of the biggest remaining stories (by
	// independent sources, at least two) to add as "largely unaffected"
	// lines (default 3; negative: none).
	Unaffected int
	MinTier    Tier // only stories at this tier or stronger ("" = any)
	// OnlyTier keeps only the stories whose strongest tier is this one
	// ("" = any), e.g. for a place page grouped by tier.
	OnlyTier Tier
}

// Item is one story of a briefing with its lens.
type Item struct {
	Story      *article.Story `json:"story"`
	Lens       Lens           `json:"lens"`
	Unaffected bool           `json:"unaffected,omitempty"` // listed as one of the big stories that largely pass the place by
}

// Brief is a ranked briefing for a place.
type Brief struct {
	Place      string    `json:"place"`
	PlaceID    int64     `json:"place_id,omitempty"`
	Countries  []string  `json:"countries"`
	Interests  []string  `json:"interests,omitempty"`
	AsOf       time.Time `json:"as_of,omitzero"` // the newest story considered
	Considered int       `json:"considered"`     // stories in the time span
	Items      []Item    `json:"items"`
}

// Engine builds briefings and lenses.
type Engine struct {
	G       *gazetteer.Gazetteer
	Index   *Index
	Stories StorySource
	Options Options
	Writer  Writer // nil: the deterministic writer

	distOnce sync.Once
	dist     *distCache
}

func (en *Engine) distances() *distCache {
	en.distOnce.Do(func() { en.dist = newDistCache() })
	return en.dist
}

type scored struct {
	st      *article.Story
	last    int64
	sources int
	rel     Relation
	score   float64
}

// Brief ranks the indexed stories for q and writes a lens for each shown.
func (en *Engine) Brief(ctx context.Context, q Query) (*Brief, error) {
	if q.Reader == nil {
		return nil, fmt.Errorf("brief: no reader place")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	unaffected := q.Unaffected
	switch {
	case unaffected == 0:
		unaffected = 3
	case unaffected < 0:
		unaffected = 0
	}
	opts := en.Options.withDefaults()
	ix := en.Index
	ix.mu.RLock()
	var newestUnix int64
	for i := range ix.entries {
		newestUnix = max(newestUnix, ix.entries[i].last)
	}
	var newest time.Time
	if newestUnix != 0 {
		newest = time.Unix(newestUnix, 0).UTC()
	}
	better := func(a, b scored) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		if a.last != b.last {
			return a.last > b.last
		}
		return a.st.ID < b.st.ID
	}
	bigger := func(a, b scored) bool {
		if a.sources != b.sources {
			return a.sources > b.sources
		}
		return better(a, b)
	}
	minLast := int64(math.MinInt64)
	if q.Since > 0 && newestUnix != 0 {
		minLast = newestUnix - int64(q.Since/time.Second)
	}
	// Scan in parallel chunks, each with its own relator (caches) and
	// top lists, then merge.
	type part struct {
		byTier     [8]topK // the best stories of each tier, so diversify can mix tiers
		biggest    topK
		considered int
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(ix.entries)/5000))
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(ix.entries)/workers, (w+1)*len(ix.entries)/workers
		wg.Go(func() {
			pt := &parts[w]
			for i := range pt.byTier {
				pt.byTier[i] = topK{k: limit, better: better}
			}
			pt.biggest = topK{k: max(unaffected, 0), better: bigger}
			rl := newRelator(en.G, q.Reader, opts, ix.coMentions, en.distances())
			rl.quiet = true
			for i := lo; i < hi; i++ {
				e := &ix.entries[i]
				if e.last < minLast {
					continue
				}
				rel := rl.relate(e.story, &e.view)
				if q.MinTier != "" && rel.Tier.rank() > q.MinTier.rank() || q.OnlyTier != "" && rel.Tier != q.OnlyTier {
					continue
				}
				pt.considered++
				tm, matched := topicScore(e.story.Topics, q.Interests)
				s := scored{st: e.story, last: e.last, sources: e.sources, rel: rel,
					score: opts.Weights.score(&rel, tm, time.Duration(newestUnix-e.last)*time.Second, e.sources)}
				if rel.Tier != Distant || matched {
					pt.byTier[rel.Tier.rank()].offer(s)
				} else {
					if e.sources >= 2 {
						pt.biggest.offer(s) // "big" means more than one independent source
					}
				}
			}
		})
	}
	wg.Wait()
	relevant := topK{k: len(Tiers) * limit, better: better}
	biggest := topK{k: max(unaffected, 0), better: bigger}
	considered := 0
	for _, pt := range parts {
		considered += pt.considered
		for _, tk := range pt.byTier {
			for _, s := range tk.items {
				relevant.offer(s)
			}
		}
		for _, s := range pt.biggest.items {
			biggest.offer(s)
		}
	}
	ix.mu.RUnlock()
	out := &Brief{Place: q.Reader.Label, PlaceID: q.Reader.Place.ID, Countries: q.Reader.Countries, Interests: q.Interests,
		AsOf: newest, Considered: considered, Items: []Item{}}
	shown := diversify(relevant.items, limit)
	if unaffected > 0 {
		for _, s := range biggest.items {
			if !slices.ContainsFunc(shown, func(x scored) bool { return x.st == s.st }) {
				shown = append(shown, s)
			}
		}
	}
	w := &deterministic{used: map[string]int{}}
	rl := newRelator(en.G, q.Reader, opts, ix.lockedCoMentions, en.distances())
	for _, s := range shown {
		st := s.st
		if en.Stories != nil {
			full, err := en.Stories.Story(ctx, s.st.ID)
			if err != nil {
				return nil, fmt.Errorf("brief: load story %s: %w", s.st.ID, err)
			}
			st = full
		}
		rel := rl.relate(st, newView(st))
		l := w.write(en.G, q.Reader, st, rel, q.Interests, s.score)
		if en.Writer != nil {
			l = polish(ctx, en.Writer, l)
		}
		out.Items = append(out.Items, Item{Story: st, Lens: l, Unaffected: s.rel.Tier == Distant})
	}
	return out, nil
}

// Lens relates one story to a reader (the lens of a story page).
func (en *Engine) Lens(ctx context.Context, st *article.Story, r *Reader, interests []string) Lens {
	opts := en.Options.withDefaults()
	var co func(a, b string) int
	if en.Index != nil {
		co = en.Index.lockedCoMentions
	}
	rl := newRelator(en.G, r, opts, co, en.distances())
	v := newView(st)
	rel := rl.relate(st, v)
	tm, _ := topicMatch(st.Topics, interests)
	l := (&deterministic{used: map[string]int{}}).write(en.G, r, st, rel, interests, opts.Weights.score(&rel, tm, 0, st.IndependentSourceCount))
	if en.Writer != nil {
		l = polish(ctx, en.Writer, l)
	}
	return l
}

// topK keeps the k best items offered, best first.
type topK struct {
	k      int
	better func(a, b scored) bool
	items  []scored
}

func (t *topK) offer(s scored) {
	if t.k <= 0 || len(t.items) == t.k && !t.better(s, t.items[t.k-1]) {
		return
	}
	i, _ := slices.BinarySearchFunc(t.items, s, func(x, y scored) int {
		if t.better(x, y) {
			return -1
		}
		return 1
	})
	if len(t.items) < t.k {
		t.items = append(t.items, scored{})
	}
	copy(t.items[i+1:], t.items[i:len(t.items)-1])
	t.items[i] = s
}

// diversify picks limit stories from the ranked candidates so that no tier
// takes more than half the briefing while other tiers have stories to show:
// what touches the place comes first, and what matters in the reader's topics
// from further away still gets a place. The picks keep their ranked order.
func diversify(ranked []scored, limit int) []scored {
	if len(ranked) <= limit {
		return ranked
	}
	capPer := max(2, (limit+1)/2)
	// a quarter of the briefing is kept for stories beyond the reader's own
	// country, when there are such stories among the candidates
	reserve := limit / 4
	far := 0
	for _, s := range ranked {
		if s.rel.Tier.rank() > National.rank() {
			far++
		}
	}
	reserve = min(reserve, far)
	per := map[Tier]int{}
	picked := make([]bool, len(ranked))
	n, local := 0, 0
	for i, s := range ranked {
		if n == limit {
			break
		}
		isLocal := s.rel.Tier.rank() <= National.rank()
		if per[s.rel.Tier] >= capPer || isLocal && local >= limit-reserve {
			continue
		}
		picked[i] = true
		per[s.rel.Tier]++
		n++
		if isLocal {
			local++
		}
	}
	for i := range ranked {
		if n == limit {
			break
		}
		if !picked[i] {
			picked[i] = true
			n++
		}
	}
	out := make([]scored, 0, limit)
	for i, s := range ranked {
		if picked[i] {
			out = append(out, s)
		}
	}
	return out
}
