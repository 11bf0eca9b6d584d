package cluster

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/topics"
)

// Tracker runs an Engine inside the pipeline. Beside the engine's own state it
// remembers, for every article still in the window, what the article brings to
// its story (focus, places, people and organisations, topics), so it can
// rebuild the full story record the store keeps after each batch. Its memory is
// bounded by the window, like the engine's.
type Tracker struct {
	e *Engine

	// guarded by e.mu: stories touched since the last Flushed, and
	// snapshots of those that left the window meanwhile
	pending map[string]bool
	evicted []*Story

	mu    sync.Mutex
	info  map[string]*contribution
	final map[string]*article.Story // records of pending stories evicted before Flushed
	adds  int
	now   func() time.Time
}

// contribution is what one article adds to its story's aggregates.
type contribution struct {
	title     string
	published time.Time
	focus     []article.Focus
	places    []article.PlaceMention
	entities  []article.Entity
	topics    []article.Topic
}

// NewTracker returns a Tracker over a new Engine with opts.
func NewTracker(opts Options) *Tracker {
	t := &Tracker{e: New(opts), info: map[string]*contribution{}, final: map[string]*article.Story{},
		pending: map[string]bool{}, now: time.Now}
	t.e.onEvict = func(s *story) {
		if t.pending[s.id] {
			t.evicted = append(t.evicted, t.e.snapshot(s))
		}
	}
	return t
}

// Flushed tells the tracker that the records of the stories touched so far
// are saved: it forgets the final records of stories that left the window.
func (t *Tracker) Flushed() {
	t.e.mu.Lock()
	clear(t.pending)
	t.e.mu.Unlock()
	t.mu.Lock()
	clear(t.final)
	t.mu.Unlock()
}

// Engine returns the underlying engine.
func (t *Tracker) Engine() *Engine { return t.e }

// Add clusters an analysed article.
func (t *Tracker) Add(a *article.Article) Assignment {
	return t.add(a, "")
}

// Restore puts an article back into the story it was assigned to before a
// restart (Analysis.StoryID), creating the story under that ID if needed, so
// story IDs survive restarts. Articles without an assignment are added as new.
func (t *Tracker) Restore(a *article.Article) Assignment {
	force := ""
	if a.Analysis != nil {
		force = a.Analysis.StoryID
	}
	return t.add(a, force)
}

func (t *Tracker) add(a *article.Article, force string) Assignment {
	d := DocFromArticle(a)
	t.e.mu.Lock()
	as := t.e.add(d, force)
	t.pending[as.Story] = true
	for _, mv := range as.Moved {
		t.pending[mv.From], t.pending[mv.To] = true, true
	}
	evicted := t.evicted
	t.evicted = nil
	t.e.mu.Unlock()

	t.mu.Lock()
	defer t.mu.Unlock()
	for _, snap := range evicted {
		t.final[snap.ID] = t.record(snap)
	}
	c := &contribution{title: a.Title, published: a.Published}
	if an := a.Analysis; an != nil {
		c.focus, c.entities, c.topics = an.Focus, an.Entities, an.Topics
		c.places = make([]article.PlaceMention, len(an.Places))
		for i, p := range an.Places {
			p.Text = "" // the surface form is not aggregated
			c.places[i] = p
		}
	}
	t.info[a.ID] = c
	if t.adds++; t.adds%4096 == 0 {
		t.prune()
	}
	return as
}

// prune forgets the contributions of articles the engine has evicted.
func (t *Tracker) prune() {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	for id := range t.info {
		if _, live := t.e.docs[id]; !live {
			delete(t.info, id)
		}
	}
}

// Record builds the full record of a live story (merged IDs resolve), or of
// a story touched since the last Flushed that has left the window since; false
// otherwise.
func (t *Tracker) Record(id string) (*article.Story, bool) {
	snap, ok := t.e.Story(id)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !ok {
		rec, ok := t.final[t.e.Resolve(id)]
		return rec, ok
	}
	return t.record(snap), true
}

func (t *Tracker) record(snap *Story) *article.Story {
	st := &article.Story{
		ID:                     snap.ID,
		Headline:               snap.Headline,
		Summary:                snap.Summary,
		FirstSeen:              snap.FirstSeen,
		LastSeen:               snap.LastSeen,
		ArticleCount:           snap.ArticleCount,
		IndependentSourceCount: snap.IndependentSourceCount,
		Merged:                 snap.Merged,
		SplitFrom:              snap.SplitFrom,
		SplitOff:               snap.SplitOff,
		Updated:                t.now().UTC().Truncate(time.Second),
	}
	for _, s := range snap.SummarySentences {
		st.SummarySentences = append(st.SummarySentences, article.SummarySentence{Text: s.Text, ArticleID: s.ArticleID})
	}
	var originals []*contribution
	for _, src := range snap.Sources {
		c := t.info[src.ArticleID]
		ss := article.StorySource{ArticleID: src.ArticleID, Source: src.Name, URL: src.URL, DuplicateOf: src.DuplicateOf}
		if c != nil {
			ss.Title, ss.Published = c.title, c.published
			if src.DuplicateOf == "" {
				originals = append(originals, c)
			}
		}
		st.Sources = append(st.Sources, ss)
	}
	st.Focus, st.Places, st.Entities, st.Topics = aggregate(originals)
	return st
}

// aggregate combines the analyses of a story's original articles: focus
// weights are means over the articles (absent counts as zero), places and
// entities are counted by mentions and by articles, topics follow
// topics.Aggregate (mean scores, kept when half the articles carry them).
func aggregate(cs []*contribution) ([]article.Focus, []article.StoryPlace, []article.StoryEntity, []article.Topic) {
	n := float64(max(len(cs), 1))
	focus := map[int64]*article.Focus{}
	places := map[int64]*article.StoryPlace{}
	type entKey struct{ typ, name string }
	ents := map[entKey]*article.StoryEntity{}
	roles := map[entKey]map[string]int{}
	var topicLists [][]article.Topic
	for _, c := range cs {
		for _, f := range c.focus {
			if g, ok := focus[f.GeonameID]; ok {
				g.Weight += f.Weight / n
			} else {
				f.Weight /= n
				focus[f.GeonameID] = &f
			}
		}
		seenPlace := map[int64]bool{}
		for _, p := range c.places {
			sp, ok := places[p.GeonameID]
			if !ok {
				sp = &article.StoryPlace{GeonameID: p.GeonameID, Name: p.Name, Kind: p.Kind, Country: p.Country, Lat: p.Lat, Lon: p.Lon}
				places[p.GeonameID] = sp
			}
			sp.Mentions++
			if !seenPlace[p.GeonameID] {
				seenPlace[p.GeonameID] = true
				sp.Articles++
			}
		}
		seenEnt := map[entKey]bool{}
		for _, e := range c.entities {
			name := strings.TrimSpace(e.Canonical)
			if name == "" {
				name = strings.TrimSpace(e.Text)
			}
			if name == "" {
				continue
			}
			k := entKey{e.Type, name}
			se, ok := ents[k]
			if !ok {
				se = &article.StoryEntity{Canonical: name, Type: e.Type}
				ents[k] = se
				roles[k] = map[string]int{}
			}
			se.Mentions++
			if !seenEnt[k] {
				seenEnt[k] = true
				se.Articles++
			}
			if e.Role != "" {
				roles[k]["r:"+e.Role]++
			}
			if e.Country != "" {
				roles[k]["c:"+e.Country]++
			}
		}
		topicLists = append(topicLists, c.topics)
	}
	for k, se := range ents {
		se.Role = mostCommon(roles[k], "r:")
		se.Country = mostCommon(roles[k], "c:")
	}
	outF := derefSorted(focus, func(a, b article.Focus) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.GeonameID, b.GeonameID))
	})
	outP := derefSorted(places, func(a, b article.StoryPlace) int {
		return cmp.Or(cmp.Compare(b.Articles, a.Articles), cmp.Compare(b.Mentions, a.Mentions), cmp.Compare(a.GeonameID, b.GeonameID))
	})
	outE := derefSorted(ents, func(a, b article.StoryEntity) int {
		return cmp.Or(cmp.Compare(b.Articles, a.Articles), cmp.Compare(b.Mentions, a.Mentions),
			cmp.Compare(a.Type, b.Type), cmp.Compare(a.Canonical, b.Canonical))
	})
	return outF, outP, outE, topics.Aggregate(topicLists)
}

func mostCommon(counts map[string]int, prefix string) string {
	best, bestN := "", 0
	for k, n := range counts {
		if v, ok := strings.CutPrefix(k, prefix); ok && (n > bestN || n == bestN && v < best) {
			best, bestN = v, n
		}
	}
	return best
}

func derefSorted[K comparable, V any](m map[K]*V, less func(a, b V) int) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, *v)
	}
	slices.SortFunc(out, less)
	return out
}
