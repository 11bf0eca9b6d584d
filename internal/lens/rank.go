package lens

import (
	"cmp"
	"context"
	"fmt"
	"math"
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

// entry is a story as the index keeps it: what ranking needs, no more.
type entry struct {
	story   article.Story // headline, focus, places, entities, topics; no sources or summary
	view    *view
	sources int
}

// Index keeps every story in a compact form for fast briefings, with counts
// of how often two countries share a story's focus. It is safe for
// concurrent use.
type Index struct {
	g *gazetteer.Gazetteer

	mu      sync.RWMutex
	stories map[string]*entry
	pairs   map[[2]string]int
	version uint64
}

// NewIndex returns an empty index.
func NewIndex(g *gazetteer.Gazetteer) *Index {
	return &Index{g: g, stories: map[string]*entry{}, pairs: map[[2]string]int{}}
}

// Len is the number of stories indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.stories)
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
		ix.remove(st.ID)
		compact := st
		compact.Sources, compact.SummarySentences, compact.Summary = nil, nil, ""
		e := &entry{story: compact, view: newView(&compact), sources: st.IndependentSourceCount}
		ix.stories[st.ID] = e
		ix.countPairs(e, 1)
	}
	ix.version++
}

func (ix *Index) remove(id string) {
	if e, ok := ix.stories[id]; ok {
		ix.countPairs(e, -1)
		delete(ix.stories, id)
	}
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
	// Unaffected is how many of the biggest remaining stories to add as
	// "largely unaffected" lines (default 3; negative: none).
	Unaffected int
	MinTier    Tier // only stories at this tier or stronger ("" = any)
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
}

type scored struct {
	e       *entry
	rel     Relation
	score   float64
	matched []string
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
	if unaffected == 0 {
		unaffected = 3
	}
	opts := en.Options.withDefaults()
	ix := en.Index
	ix.mu.RLock()
	var newest time.Time
	for _, e := range ix.stories {
		if e.story.LastSeen.After(newest) {
			newest = e.story.LastSeen
		}
	}
	rl := newRelator(en.G, q.Reader, opts, ix.coMentions)
	var all []scored
	for _, e := range ix.stories {
		if q.Since > 0 && !newest.IsZero() && e.story.LastSeen.Before(newest.Add(-q.Since)) {
			continue
		}
		rel := rl.relate(&e.story, e.view)
		if q.MinTier != "" && rel.Tier.rank() > q.MinTier.rank() {
			continue
		}
		tm, matched := topicMatch(e.story.Topics, q.Interests)
		all = append(all, scored{e: e, rel: rel, matched: matched,
			score: opts.Weights.score(&rel, tm, newest.Sub(e.story.LastSeen), e.sources)})
	}
	ix.mu.RUnlock()
	slices.SortFunc(all, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), b.e.story.LastSeen.Compare(a.e.story.LastSeen), cmp.Compare(a.e.story.ID, b.e.story.ID))
	})
	out := &Brief{Place: q.Reader.Label, PlaceID: q.Reader.Place.ID, Countries: q.Reader.Countries, Interests: q.Interests,
		AsOf: newest, Considered: len(all), Items: []Item{}}
	var shown, rest []scored
	for _, s := range all {
		relevant := s.rel.Tier != Distant || len(q.Interests) > 0 && len(s.matched) > 0
		if relevant && len(shown) < limit {
			shown = append(shown, s)
		} else if s.rel.Tier == Distant {
			rest = append(rest, s)
		}
	}
	if unaffected > 0 {
		slices.SortStableFunc(rest, func(a, b scored) int { return cmp.Compare(b.e.sources, a.e.sources) })
		for _, s := range rest[:min(len(rest), unaffected)] {
			if !slices.ContainsFunc(shown, func(x scored) bool { return x.e == s.e }) {
				shown = append(shown, s)
			}
		}
	}
	w := &deterministic{used: map[string]int{}}
	for _, s := range shown {
		st := &s.e.story
		if en.Stories != nil {
			full, err := en.Stories.Story(ctx, s.e.story.ID)
			if err != nil {
				return nil, fmt.Errorf("brief: load story %s: %w", s.e.story.ID, err)
			}
			st = full
		}
		l := w.write(en.G, q.Reader, st, s.rel, q.Interests, s.score)
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
		en.Index.mu.RLock()
		defer en.Index.mu.RUnlock()
		co = en.Index.coMentions
	}
	rl := newRelator(en.G, r, opts, co)
	v := newView(st)
	rel := rl.relate(st, v)
	tm, _ := topicMatch(st.Topics, interests)
	l := (&deterministic{used: map[string]int{}}).write(en.G, r, st, rel, interests, opts.Weights.score(&rel, tm, 0, st.IndependentSourceCount))
	if en.Writer != nil {
		l = polish(ctx, en.Writer, l)
	}
	return l
}
