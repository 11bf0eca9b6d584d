// Package cluster groups articles into stories as they arrive: duplicate
// folding, online event clustering (with merges of stories that prove to be
// one and splits of stories that prove to hold two events), and story
// headlines and summaries.
package cluster

import (
	"container/list"
	"crypto/sha1"
	"encoding/hex"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vantage-news/vantage/internal/article"
)

// Options tunes an Engine. Zero fields take the defaults documented on each
// field; the thresholds were tuned on the dev corpora (see README.md).
type Options struct {
	// Window is how long a story stays live after its last article, by
	// Published time (default 7 days). Stories older than that are evicted.
	Window time.Duration
	// WindowArticles bounds the window by arrival order as well: a story
	// whose last article arrived more than WindowArticles articles ago is
	// evicted. It is the window when articles carry no Published time
	// (default 200,000; negative disables it).
	WindowArticles int

	// Threshold is the minimum similarity for a full-text article to join a
	// story (default 0.15).
	Threshold float64
	// UndatedThreshold replaces Threshold for a full-text article when it or
	// the story it is compared with carries no Published time: with no
	// time evidence the text alone must show that it is the same event
	// (default 0.19; see README.md). Dated articles use Threshold.
	UndatedThreshold float64
	// TitleThreshold is the same for short, title-only documents: fewer
	// than ShortTerms content words (default 0.14).
	TitleThreshold float64
	// ShortTerms is the number of distinct content words under which a
	// document counts as title-only (default 25).
	ShortTerms int
	// MergeRatio: when a new article reaches MergeRatio × the joining
	// threshold against two stories whose centroids are also similar
	// (above the joining threshold), the two stories are merged
	// (default 1.6; a large value such as 100 disables merging).
	MergeRatio float64
	// UndatedMergeRatio is MergeRatio for full texts judged by
	// UndatedThreshold: with no dates, merging two stories needs more
	// evidence too (default 2.0).
	UndatedMergeRatio float64

	// DupThreshold is the estimated Jaccard similarity of word 3-shingles at
	// which an article is a near-duplicate of an earlier one (default 0.6).
	DupThreshold float64
	// MinDupWords: texts shorter than this many words are only checked for
	// exact duplicates (default 20).
	MinDupWords int

	// MaxCandidates bounds how many stories are scored exactly per
	// article (default 32).
	MaxCandidates int
	// QueryTerms is how many of an article's heaviest terms are looked up in
	// the inverted index (default 24), PostingScan how many of the most
	// recent stories per term are visited (default 400).
	QueryTerms, PostingScan int
	// CentroidTerms is the number of terms kept per story centroid
	// (default 100), DocTerms per article vector (default 200).
	CentroidTerms, DocTerms int
	// BigramWeight is the weight of adjacent content-word pairs relative to
	// words (default 0.5; negative disables bigrams).
	BigramWeight float64
	// TitleWeight multiplies the term counts of the title when a text is
	// present too (default 2).
	TitleWeight float64

	// EntityWeight and PlaceWeight add the share of the article's entities
	// (places) found in the story to the text similarity (defaults 0.15 and
	// 0.10). They only apply when the article carries entities (places).
	EntityWeight, PlaceWeight float64
	// EntityBase and PlaceBase centre those shares: EntityWeight ×
	// (share − EntityBase), so an article naming people or places the
	// story does not know scores lower than one that names none
	// (defaults 0.2 and 0.3; negative: 0).
	EntityBase, PlaceBase float64
	// NameWeight scales the agreement of distinctive names — capitalised
	// words inside sentences, acronyms, numbers (see nameTokens) — between
	// an article and a story: similarity + NameWeight × (cos(names) −
	// NameBase), so two texts that share the topic words but disagree on
	// who, where and how many score lower (defaults 0.5 and 0.3; negative
	// NameWeight disables it). It applies when both carry at least
	// MinNames name tokens (default 3).
	NameWeight, NameBase float64
	// AgreementGrace: for an article dated within this span of a story's
	// reports, disagreeing names, entities and places do not lower the
	// similarity (default 48h; negative disables the grace).
	AgreementGrace time.Duration

	// DayWeight and DayBase: similarity + DayWeight × (overlap of the
	// weekdays the article and the story say things happened on − DayBase)
	// for full texts when both name such a day ("on Sunday", "Friday
	// night"; see eventDays). Reports of one event agree on its day, two
	// similar events seldom do (defaults 0.3 and 0.5; negative DayWeight
	// disables it). Only when the article or the story is undated.
	DayWeight, DayBase float64

	MinNames int
	// NameTerms is the number of name terms kept per story (default 40).
	NameTerms int
	// Names found in more than 1/NameMaxDF of the documents seen so far
	// (an outlet's name, a boilerplate word) are not distinctive and are
	// ignored (default 10, i.e. 10 %).
	NameMaxDF float64
	// SizeBonus adds SizeBonus × ln(original articles in the story) to the
	// similarity of a title-only article: a rich-get-richer prior, as in
	// Dirichlet-process clustering (MStream), that keeps a busy story from
	// fragmenting when a few words are all the evidence (default 0.0125;
	// negative disables it). Full texts do without: it merges similar
	// events there.
	SizeBonus float64
	// TimeScale is the decay of similarity with the time between an article
	// and a story: similarity × (0.5 + 0.5·exp(-Δ/TimeScale)) (default 72h).
	TimeScale time.Duration

	// SummaryWords is the length budget of story summaries (default 60);
	// SummaryArticles the number of articles per story whose lead sentences
	// are kept as summary candidates (default 20), LeadSentences how many
	// (default 10).
	SummaryWords, SummaryArticles, LeadSentences int
	// SplitRatio: a story of full texts is checked for two events at
	// growth points (SplitFrom originals, then each time it has grown by a
	// quarter, up to SplitMax): its originals are parted in two by
	// average-linkage clustering on the article-to-article similarity
	// (text cosine plus the name term; see bisect), and when the mean
	// similarity between the parts is below SplitRatio × the mean
	// similarity within them, and each part has SplitMinGroup originals,
	// the part without the story's first article becomes a story of its
	// own (default 0.4; negative disables splitting).
	SplitRatio float64
	// SplitFrom (default 6), SplitMinGroup (default 2) and SplitMax
	// (default 48): see SplitRatio.
	SplitFrom, SplitMinGroup, SplitMax int

	// MMRLambda weighs a summary sentence's centrality (cosine to the
	// centroid) against its gain in centroid coverage (default 0.5; see
	// summarise).
	MMRLambda float64
}

func (o Options) withDefaults() Options {
	setD := func(p *time.Duration, d time.Duration) {
		if *p <= 0 {
			*p = d
		}
	}
	setF := func(p *float64, d float64) {
		if *p <= 0 {
			*p = d
		}
	}
	setI := func(p *int, d int) {
		if *p <= 0 {
			*p = d
		}
	}
	setD(&o.Window, 7*24*time.Hour)
	if o.WindowArticles == 0 {
		o.WindowArticles = 200_000
	}
	setF(&o.Threshold, 0.15)
	setF(&o.UndatedThreshold, 0.19)
	setF(&o.TitleThreshold, 0.14)
	setF(&o.SizeBonus, 0.0125)
	setI(&o.ShortTerms, 25)
	setF(&o.MergeRatio, 1.6)
	setF(&o.UndatedMergeRatio, 2.0)
	setF(&o.DupThreshold, 0.6)
	setI(&o.MinDupWords, 20)
	setI(&o.MaxCandidates, 32)
	setI(&o.QueryTerms, 24)
	setI(&o.PostingScan, 400)
	setI(&o.CentroidTerms, 100)
	setI(&o.DocTerms, 200)
	setF(&o.TitleWeight, 2)
	if o.BigramWeight == 0 {
		o.BigramWeight = 0.5
	}
	setF(&o.EntityWeight, 0.15)
	setF(&o.PlaceWeight, 0.10)
	if o.EntityBase == 0 {
		o.EntityBase = 0.2
	}
	if o.PlaceBase == 0 {
		o.PlaceBase = 0.3
	}
	if o.NameWeight == 0 {
		o.NameWeight = 0.5
	}
	if o.DayWeight == 0 {
		o.DayWeight = 0.3
	}
	setF(&o.DayBase, 0.5)
	if o.AgreementGrace == 0 {
		o.AgreementGrace = 48 * time.Hour
	}

	if o.NameBase == 0 {
		o.NameBase = 0.3
	}
	setI(&o.MinNames, 3)
	setI(&o.NameTerms, 40)
	setF(&o.NameMaxDF, 10)
	setD(&o.TimeScale, 72*time.Hour)
	setI(&o.SummaryWords, 60)
	setI(&o.SummaryArticles, 20)
	setI(&o.LeadSentences, 10)
	setF(&o.MMRLambda, 0.5)
	if o.SplitRatio == 0 {
		o.SplitRatio = 0.4
	}
	setI(&o.SplitFrom, 6)
	setI(&o.SplitMinGroup, 2)
	setI(&o.SplitMax, 48)
	return o
}

// Doc is one article as the clusterer sees it.
type Doc struct {
	ID, Title, Text, Source, URL string
	Published                    time.Time         // zero: unknown (arrival order is used)
	Entities                     []string          // canonical person/organisation names
	Places                       map[int64]float64 // focus weights by GeoNames ID
}

// DocFromArticle converts an analysed article: canonical entities (or their
// surface text) and focus places are used when present.
func DocFromArticle(a *article.Article) Doc {
	d := Doc{ID: a.ID, Title: a.Title, Text: a.Text, Source: a.Source, URL: a.URL, Published: a.Published}
	if a.CanonicalURL != "" {
		d.URL = a.CanonicalURL
	}
	if a.Analysis != nil {
		seen := map[string]bool{}
		for _, en := range a.Analysis.Entities {
			name := en.Canonical
			if name == "" {
				name = en.Text
			}
			if name = strings.TrimSpace(name); name != "" && !seen[name] {
				seen[name] = true
				d.Entities = append(d.Entities, name)
			}
		}
		for _, f := range a.Analysis.Focus {
			if f.Weight > 0 {
				if d.Places == nil {
					d.Places = map[int64]float64{}
				}
				d.Places[f.GeonameID] += f.Weight
			}
		}
	}
	return d
}

// Assignment is where Add put an article.
type Assignment struct {
	ID          string   // the article
	Story       string   // the story it joined or started (resolved)
	DuplicateOf string   // the original article when this one is a duplicate
	Similarity  float64  // to the story (or Jaccard estimate to the original)
	NewStory    bool     // the article started Story
	Merged      []string // story IDs folded into Story by this article
	// Moved lists the other articles this article's arrival moved to
	// another story: a story found to hold two events is split, and the
	// articles of the later event go to a new story (see SplitRatio).
	Moved []Move
}

// Move is an article moved from one story to another by a split.
type Move struct {
	ArticleID   string
	From, To    string // story IDs
	DuplicateOf string
}

// Engine clusters a stream of articles into stories. It is safe for
// concurrent use; Add calls are serialised.
type Engine struct {
	opts Options

	mu        sync.Mutex
	seq       uint64    // arrivals so far
	now       time.Time // latest Published seen
	df        *dfSketch
	stories   map[string]*story
	lru       *list.List // live stories, least recently updated first
	postings  map[uint64][]*story
	docs      map[string]*member
	byURL     map[string]*member
	byContent map[uint64]*member
	buckets   map[uint64][]*member
	redirects map[string]redirect
	evictions int // since the last sweep
	// onEvict, when set, is called (with mu held) for each story that
	// leaves the window.
	onEvict  func(s *story)
	frozenDF bool // evaluation: document frequencies were learnt beforehand

	// scratch space reused by Add
	counts map[uint64]float64
	acc    map[*story]float64
	// names of the article being added (set by add for similarity)
	names     vector
	nameCount int
	days      [7]float32 // event weekdays of the article being added
	dayCount  int
	short     bool // the article is title-only (TitleThreshold applies)
}

type redirect struct {
	to  string
	seq uint64
}

// story is the live, mutable state of one story.
type story struct {
	id        string
	seq       uint64 // arrival number of its first article
	centroid  vector
	norm      float64
	names     vector // distinctive names, summed over articles (NameTerms kept)
	nnorm     float64
	days      [7]float32 // event weekdays named by its articles
	members   []*member
	nonDup    int
	firstSeen time.Time
	lastSeen  time.Time
	lastSeq   uint64
	entities  map[string]int
	places    map[int64]float64
	merged    []string
	splitFrom string   // the story this one was split from
	splitOff  []string // stories split from this one
	elem      *list.Element
	dead      bool
}

// member is one article of a live story.
type member struct {
	id, title, source, url string
	seq                    uint64
	published              time.Time
	dupOf                  string
	story                  *story
	sim                    float64
	sig                    []uint64
	bands                  []uint64
	urlKey                 string
	content                uint64
	hasContent             bool
	titleVec               vector
	sents                  []string
	rawSents               bool // sents did not pass cleanSentence (see leadSentences)
	// what the article brought to its story, kept to rebuild a story
	// that is split (originals only)
	vec      vector // its top CentroidTerms terms, weighted by term frequency only
	names    vector // its names, the same way (nil under MinNames name tokens)
	days     [7]float32
	entities []string
	places   map[int64]float64
}

// New returns an empty Engine.
func New(opts Options) *Engine {
	return &Engine{
		opts:      opts.withDefaults(),
		df:        newDFSketch(),
		stories:   map[string]*story{},
		lru:       list.New(),
		postings:  map[uint64][]*story{},
		docs:      map[string]*member{},
		byURL:     map[string]*member{},
		byContent: map[uint64]*member{},
		buckets:   map[uint64][]*member{},
		redirects: map[string]redirect{},
		counts:    map[uint64]float64{},
		acc:       map[*story]float64{},
	}
}

// Options returns the effective options (defaults filled in).
func (e *Engine) Options() Options { return e.opts }

// StoryID is the stable story ID derived from the ID of its first article.
func StoryID(firstArticleID string) string {
	h := sha1.Sum([]byte(firstArticleID))
	return "s-" + hex.EncodeToString(h[:6])
}

// Add assigns d to a story: the story of its original when d is a
// duplicate, else the most similar live story above the threshold, else a
// new story. Work per article is bounded by the options (QueryTerms ×
// PostingScan index visits, MaxCandidates exact comparisons). Adding an
// article ID that is still in the window returns its earlier assignment.
func (e *Engine) Add(d Doc) Assignment {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.add(d, "")
}

func (e *Engine) add(d Doc, force string) Assignment {
	if m, ok := e.docs[d.ID]; ok && d.ID != "" {
		return Assignment{ID: d.ID, Story: m.story.id, DuplicateOf: m.dupOf, Similarity: m.sim}
	}
	e.seq++
	t := d.Published
	if t.IsZero() {
		t = e.now
	} else if t.After(e.now) {
		e.now = t
	}
	e.evict()

	m := &member{id: d.ID, seq: e.seq, title: d.Title, source: strings.TrimSpace(d.Source), url: d.URL, published: t}
	all := words(d.Title + "\n" + d.Text)

	// Exact and near duplicates.
	if orig, sim := e.findDuplicate(m, all); orig != nil {
		root := orig
		if root.dupOf != "" {
			if r, ok := e.docs[root.dupOf]; ok {
				root = r
			}
		}
		m.dupOf, m.sim = root.id, sim
		s := root.story
		e.join(s, m, nil, d)
		e.indexDuplicates(m, false)
		return Assignment{ID: d.ID, Story: s.id, DuplicateOf: root.id, Similarity: sim}
	}

	v, nterms := e.vectorize(d.Title, d.Text, true)
	// Only full texts can be split (see maybeSplit): only they keep what
	// a split needs to rebuild their stories.
	splittable := nterms >= e.opts.ShortTerms && e.opts.SplitRatio > 0
	if splittable {
		m.vec = e.termFreqs(topK(slices.Clone(v), e.opts.CentroidTerms)) // topK reorders its argument
	}
	e.names, e.nameCount = e.nameVector(d.Title, d.Text)
	if splittable && e.nameCount >= e.opts.MinNames {
		m.names = e.termFreqs(e.names)
	}
	e.days, e.dayCount = eventDays(d.Text)
	m.titleVec, _ = e.vectorize(d.Title, "", false)
	m.sents, m.rawSents = leadSentences(d.Title, d.Text, e.opts.LeadSentences)

	thr := e.opts.Threshold
	e.short = nterms < e.opts.ShortTerms
	if e.short {
		thr = e.opts.TitleThreshold
	}
	var best, second *story
	var bestSim, secondSim float64
	if force != "" {
		best = e.stories[e.resolve(force)]
		if best != nil {
			bestSim = e.similarity(v, &d, t, best)
		}
	} else {
		best, bestSim, second, secondSim = e.bestStories(v, &d, t)
	}
	mergeRatio := e.opts.MergeRatio
	if !e.short && best != nil && (t.IsZero() || best.lastSeen.IsZero()) {
		thr, mergeRatio = e.opts.UndatedThreshold, e.opts.UndatedMergeRatio
	}
	a := Assignment{ID: d.ID}
	if best == nil && force != "" {
		// restoring an assignment made before a restart: keep its story ID
		best = e.newStory(d.ID)
		if best.id != force {
			delete(e.stories, best.id)
			best.id = force
			e.stories[force] = best
		}
		a.NewStory = true
	} else if best == nil || (force == "" && bestSim < thr) {
		best = e.newStory(d.ID)
		a.NewStory = true
		bestSim = 0
	} else if second != nil && bestSim >= mergeRatio*thr && secondSim >= mergeRatio*thr &&
		!splitPair(best, second) &&
		cosine(best.centroid, best.norm, second.centroid, second.norm) >= thr {
		older, newer := best, second
		if newer.seq < older.seq {
			older, newer = newer, older
		}
		e.merge(older, newer)
		a.Merged = []string{newer.id}
		best = older
	}
	m.sim = bestSim
	m.days, m.entities, m.places = e.days, d.Entities, d.Places
	e.join(best, m, v, d)
	e.indexDuplicates(m, true)
	if n := m.story.nonDup; n > e.opts.SplitMax {
		// past the last split point: the story is never split, so its
		// articles need not keep their vectors
		m.vec, m.names = nil, nil
		if n == e.opts.SplitMax+1 || len(a.Merged) > 0 {
			rank := 0
			for _, o := range m.story.members {
				o.vec, o.names = nil, nil
				if o.dupOf == "" {
					if rank++; rank > e.opts.SummaryArticles {
						o.sents = nil
					}
				}
			}
		}
	}
	if force == "" {
		for _, mv := range e.maybeSplit(best) {
			if mv.ArticleID != m.id {
				a.Moved = append(a.Moved, mv)
			}
		}
	}
	a.Story, a.Similarity = m.story.id, bestSim
	return a
}

// findDuplicate looks m up by URL, content hash and MinHash LSH.
func (e *Engine) findDuplicate(m *member, ws []string) (*member, float64) {
	if k := urlKey(m.url); k != "" {
		m.urlKey = k
		if o, ok := e.byURL[k]; ok {
			return o, 1
		}
	}
	if len(ws) > 0 {
		m.content, m.hasContent = contentKey(ws), true
		if o, ok := e.byContent[m.content]; ok {
			return o, 1
		}
	}
	if len(ws) < e.opts.MinDupWords {
		return nil, 0
	}
	m.sig = signature(ws)
	m.bands = bandKeys(m.sig)
	var best *member
	bestJ := 0.0
	for _, k := range m.bands {
		for _, o := range e.buckets[k] {
			if o == best {
				continue
			}
			if j := jaccardEstimate(m.sig, o.sig); j > bestJ || (j == bestJ && best != nil && o.story.seq < best.story.seq) {
				best, bestJ = o, j
			}
		}
	}
	if best != nil && bestJ >= e.opts.DupThreshold {
		return best, bestJ
	}
	return nil, 0
}

// indexDuplicates registers m for later duplicate look-ups; only originals
// enter the MinHash buckets.
func (e *Engine) indexDuplicates(m *member, original bool) {
	if m.id != "" {
		e.docs[m.id] = m
	}
	if m.urlKey != "" {
		if _, ok := e.byURL[m.urlKey]; !ok {
			e.byURL[m.urlKey] = m
		}
	}
	if m.hasContent {
		if _, ok := e.byContent[m.content]; !ok {
			e.byContent[m.content] = m
		}
	}
	if original && m.bands != nil {
		for _, k := range m.bands {
			e.buckets[k] = append(e.buckets[k], m)
		}
	} else {
		m.sig, m.bands = nil, nil
	}
}

// vectorize builds the L2-normalised TF-IDF vector of a title and text
// (sublinear TF, title counts × TitleWeight), keeping the DocTerms heaviest
// terms. With learn, the document frequencies are updated first. It also
// returns the number of distinct content words.
func (e *Engine) vectorize(title, text string, learn bool) (vector, int) {
	clear(e.counts)
	tw := 1.0
	if strings.TrimSpace(text) != "" {
		tw = e.opts.TitleWeight
	}
	e.countTerms(title, tw)
	e.countTerms(text, 1)
	if learn && !e.frozenDF && len(e.counts) > 0 {
		e.df.docs++
		for t := range e.counts {
			e.df.inc(t)
		}
	}
	v := make(vector, 0, len(e.counts))
	for t, c := range e.counts {
		tf := c
		if c > 1 {
			tf = 1 + math.Log(c)
		}
		v = append(v, entry{t, float32(tf * e.df.idf(t))})
	}
	n := len(v)
	return unitTop(v, e.opts.DocTerms), n
}

// bigramBit marks bigram terms: they score, but only words enter the
// inverted index (bigrams would add millions of one-story posting lists).
const bigramBit = 1 << 63

// countTerms adds the content words of s, and BigramWeight × their
// adjacent pairs, to e.counts with weight w.
func (e *Engine) countTerms(s string, w float64) {
	prev := uint64(0)
	for _, t := range terms(s) {
		h := hashString(t) &^ bigramBit
		e.counts[h] += w
		if prev != 0 && e.opts.BigramWeight > 0 {
			e.counts[mix64(prev*31+h)|bigramBit] += w * e.opts.BigramWeight
		}
		prev = h
	}
}

// bestStories finds the two most similar live stories to v through the
// inverted index.
func (e *Engine) bestStories(v vector, d *Doc, t time.Time) (best *story, bestSim float64, second *story, secondSim float64) {
	q := make(vector, 0, len(v))
	for _, x := range v {
		if x.term&bigramBit == 0 {
			q = append(q, x)
		}
	}
	q = topK(q, e.opts.QueryTerms)
	clear(e.acc)
	for _, qe := range q {
		ps := e.postings[qe.term]
		lo := max(0, len(ps)-e.opts.PostingScan)
		for _, s := range ps[lo:] {
			if !s.dead {
				e.acc[s] += float64(qe.weight)
			}
		}
	}
	type cand struct {
		s     *story
		score float64
	}
	cands := make([]cand, 0, len(e.acc))
	for s, sc := range e.acc {
		cands = append(cands, cand{s, sc})
	}
	slices.SortFunc(cands, func(a, b cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.s.seq) - int(b.s.seq)
	})
	if len(cands) > e.opts.MaxCandidates {
		cands = cands[:e.opts.MaxCandidates]
	}
	for _, c := range cands {
		sim := e.similarity(v, d, t, c.s)
		switch {
		case best == nil || sim > bestSim || (sim == bestSim && c.s.seq < best.seq):
			second, secondSim = best, bestSim
			best, bestSim = c.s, sim
		case second == nil || sim > secondSim:
			second, secondSim = c.s, sim
		}
	}
	return best, bestSim, second, secondSim
}

// similarity of an article to a story: cosine to the centroid, plus shared
// entities and focus places, damped by the time between them.
func (e *Engine) similarity(v vector, d *Doc, t time.Time, s *story) float64 {
	sim := cosine(v, 1, s.centroid, s.norm)
	// Reports published within AgreementGrace of a story are the normal
	// way one event is covered: outlets quote different people and places,
	// so disagreement on names only counts against older stories (and
	// against undated ones, where time says nothing).
	penalise := true
	if !t.IsZero() && !s.lastSeen.IsZero() && e.opts.AgreementGrace > 0 {
		gap := t.Sub(s.lastSeen)
		if t.Before(s.firstSeen) {
			gap = s.firstSeen.Sub(t)
		}
		penalise = gap > e.opts.AgreementGrace || gap < -e.opts.AgreementGrace
	}
	agree := func(x float64) float64 {
		if x < 0 && !penalise {
			return 0
		}
		return x
	}
	if e.nameCount >= e.opts.MinNames && len(s.names) > 0 && e.opts.NameWeight > 0 {
		sim += agree(e.opts.NameWeight * (cosine(e.names, 1, s.names, s.nnorm) - e.opts.NameBase))
	}
	// Weekdays stand in for dates: they apply when the article or the
	// story is undated (with dates, the time decay knows better: two
	// Nobel peace prizes years apart were both announced "on Friday").
	if !e.short && e.dayCount > 0 && e.opts.DayWeight > 0 && (t.IsZero() || s.lastSeen.IsZero()) && s.days != ([7]float32{}) {
		sim += e.opts.DayWeight * (dayOverlap(&e.days, &s.days) - e.opts.DayBase)
	}
	if len(d.Entities) > 0 && len(s.entities) > 0 {
		shared := 0
		for _, en := range d.Entities {
			if s.entities[en] > 0 {
				shared++
			}
		}
		sim += agree(e.opts.EntityWeight * (float64(shared)/float64(len(d.Entities)) - max(e.opts.EntityBase, 0)))
	}
	if len(d.Places) > 0 && len(s.places) > 0 {
		var dt, st, ov float64
		for _, w := range d.Places {
			dt += w
		}
		for _, w := range s.places {
			st += w
		}
		if dt > 0 && st > 0 {
			for id, w := range d.Places {
				ov += math.Min(w/dt, s.places[id]/st)
			}
			sim += agree(e.opts.PlaceWeight * (ov - max(e.opts.PlaceBase, 0)))
		}
	}
	if e.short && e.opts.SizeBonus > 0 && s.nonDup > 1 {
		sim += e.opts.SizeBonus * math.Log(float64(s.nonDup))
	}
	if !t.IsZero() && !s.lastSeen.IsZero() {
		var gap time.Duration
		switch {
		case t.After(s.lastSeen):
			gap = t.Sub(s.lastSeen)
		case t.Before(s.firstSeen):
			gap = s.firstSeen.Sub(t)
		}
		if gap > 0 {
			sim *= 0.5 + 0.5*math.Exp(-float64(gap)/float64(e.opts.TimeScale))
		}
	}
	return sim
}

func (e *Engine) newStory(firstID string) *story {
	id := StoryID(firstID)
	if _, taken := e.stories[id]; taken || firstID == "" {
		id = StoryID(firstID + "#" + itoa(e.seq))
	}
	s := &story{id: id, seq: e.seq, entities: map[string]int{}, places: map[int64]float64{}}
	s.elem = e.lru.PushBack(s)
	e.stories[id] = s
	return s
}

func itoa(n uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// join adds m (with vector v, nil for duplicates) to s.
func (e *Engine) join(s *story, m *member, v vector, d Doc) {
	m.story = s
	s.members = append(s.members, m)
	if m.dupOf == "" {
		s.nonDup++
		if s.nonDup > e.opts.SummaryArticles && (e.opts.SplitRatio <= 0 || s.nonDup > e.opts.SplitMax) {
			// only the first articles feed the summary; while the story
			// may be split, all keep theirs, so each part has a summary
			m.sents = nil
		}
		for _, en := range d.Entities {
			s.entities[en]++
		}
		for id, w := range d.Places {
			s.places[id] += w
		}
	}
	if !m.published.IsZero() {
		if s.firstSeen.IsZero() || m.published.Before(s.firstSeen) {
			s.firstSeen = m.published
		}
		if m.published.After(s.lastSeen) {
			s.lastSeen = m.published
		}
	}
	s.lastSeq = e.seq
	e.lru.MoveToBack(s.elem)
	if len(v) > 0 {
		for i, n := range e.days {
			s.days[i] += n
		}
		e.setCentroid(s, add(s.centroid, v, 1))
		if e.nameCount >= e.opts.MinNames {
			s.names = slices.Clone(topK(add(s.names, e.names, 1), e.opts.NameTerms))
			s.nnorm = s.names.norm()
		}
	}
}

// nameVector is the L2-normalised vector of the distinctive names of a
// text (the title's when there is no text), TF × IDF, and the number of
// name tokens found.
func (e *Engine) nameVector(title, text string) (vector, int) {
	if e.opts.NameWeight < 0 {
		return nil, 0
	}
	src := text
	if strings.TrimSpace(src) == "" {
		src = title
	}
	clear(e.counts)
	n := 0
	common := func(h uint64) bool { // in more than 1/NameMaxDF of the documents
		return e.df.docs >= 50 && float64(e.df.df(h))*e.opts.NameMaxDF > float64(e.df.docs)
	}
	nameTokens(src, func(t string) {
		if h := hashString(t) &^ bigramBit; !common(h) {
			e.counts[h]++
			n++
		}
	})
	if n == 0 {
		return nil, 0
	}
	v := make(vector, 0, len(e.counts))
	for t, c := range e.counts {
		tf := c
		if c > 1 {
			tf = 1 + math.Log(c)
		}
		v = append(v, entry{t, float32(tf * e.df.idf(t))})
	}
	return unitTop(v, e.opts.NameTerms), n
}

// termFreqs returns v's terms weighted by their sublinear frequency in
// e.counts (the text vectorize or nameVector last counted), without IDF:
// a split check weighs them with the document frequencies of its day.
func (e *Engine) termFreqs(v vector) vector {
	out := make(vector, len(v))
	for i, x := range v {
		c := e.counts[x.term]
		if c > 1 {
			c = 1 + math.Log(c)
		}
		out[i] = entry{x.term, float32(c)}
	}
	return out
}

// weigh returns tf (from termFreqs) × today's IDF, L2-normalised.
func (e *Engine) weigh(tf vector) vector {
	out := make(vector, len(tf))
	for i, x := range tf {
		out[i] = entry{x.term, float32(float64(x.weight) * e.df.idf(x.term))}
	}
	if n := out.norm(); n > 0 {
		for i := range out {
			out[i].weight = float32(float64(out[i].weight) / n)
		}
	}
	return out
}

// unitTop keeps the k heaviest terms of v, sorted by term, scaled to unit
// length.
func unitTop(v vector, k int) vector {
	v = topK(v, k)
	if len(v) <= k {
		sortByTerm(v)
	}
	if nv := v.norm(); nv > 0 {
		for i := range v {
			v[i].weight = float32(float64(v[i].weight) / nv)
		}
	}
	return v
}

// setCentroid prunes c to CentroidTerms and posts s under its new terms.
func (e *Engine) setCentroid(s *story, c vector) {
	old := s.centroid
	c = slices.Clone(topK(c, e.opts.CentroidTerms)) // exact size: centroids dominate memory
	s.centroid, s.norm = c, c.norm()
	i := 0
	for _, ce := range c {
		for i < len(old) && old[i].term < ce.term {
			i++
		}
		if (i < len(old) && old[i].term == ce.term) || ce.term&bigramBit != 0 {
			continue
		}
		e.post(ce.term, s)
	}
}

// post appends s to the posting list of term, compacting the list before it
// grows: entries of dead stories and of stories that dropped the term go.
func (e *Engine) post(term uint64, s *story) {
	ps := e.postings[term]
	if len(ps) == cap(ps) && len(ps) >= 16 {
		ps = compact(ps, term)
	}
	e.postings[term] = append(ps, s)
}

func compact(ps []*story, term uint64) []*story {
	out := ps[:0]
	for _, s := range ps {
		if !s.dead && s.centroid.weightOf(term) != 0 {
			out = append(out, s)
		}
	}
	clear(ps[len(out):])
	// drop duplicate entries (a term can leave a centroid and come back)
	if len(out) > 1 {
		seen := make(map[*story]bool, len(out))
		k := 0
		for _, s := range out {
			if !seen[s] {
				seen[s] = true
				out[k] = s
				k++
			}
		}
		clear(out[k:])
		out = out[:k]
	}
	return out
}

// merge folds newer into older: the older ID survives, the newer redirects.
func (e *Engine) merge(older, newer *story) {
	for _, m := range newer.members {
		m.story = older
	}
	older.members = append(older.members, newer.members...)
	older.nonDup += newer.nonDup
	for i, n := range newer.days {
		older.days[i] += n
	}
	for k, n := range newer.entities {
		older.entities[k] += n
	}
	for k, w := range newer.places {
		older.places[k] += w
	}
	if !newer.firstSeen.IsZero() && (older.firstSeen.IsZero() || newer.firstSeen.Before(older.firstSeen)) {
		older.firstSeen = newer.firstSeen
	}
	if newer.lastSeen.After(older.lastSeen) {
		older.lastSeen = newer.lastSeen
	}
	older.lastSeq = max(older.lastSeq, newer.lastSeq)
	older.merged = append(older.merged, newer.id)
	older.merged = append(older.merged, newer.merged...)
	e.setCentroid(older, add(older.centroid, newer.centroid, 1))
	older.names = slices.Clone(topK(add(older.names, newer.names, 1), e.opts.NameTerms))
	older.nnorm = older.names.norm()
	newer.dead = true
	e.lru.Remove(newer.elem)
	delete(e.stories, newer.id)
	e.redirects[newer.id] = redirect{to: older.id, seq: e.seq}
}

// Resolve follows merge redirects from a story ID to the surviving story
// ID. Unknown IDs are returned unchanged.
func (e *Engine) Resolve(id string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.resolve(id)
}

func (e *Engine) resolve(id string) string {
	for range 64 {
		r, ok := e.redirects[id]
		if !ok {
			return id
		}
		id = r.to
	}
	return id
}

// evict drops stories that left the window, and sweeps the index when
// enough have gone.
func (e *Engine) evict() {
	for {
		front := e.lru.Front()
		if front == nil {
			break
		}
		s := front.Value.(*story)
		expired := e.opts.WindowArticles > 0 && e.seq-s.lastSeq > uint64(e.opts.WindowArticles)
		if !expired && !e.now.IsZero() && !s.lastSeen.IsZero() && e.now.Sub(s.lastSeen) > e.opts.Window {
			expired = true
		}
		if !expired {
			break
		}
		e.remove(s)
	}
	if e.evictions > 1000 && e.evictions > len(e.stories)/2 {
		e.sweep()
	}
}

func (e *Engine) remove(s *story) {
	if e.onEvict != nil {
		e.onEvict(s)
	}
	s.dead = true
	e.lru.Remove(s.elem)
	delete(e.stories, s.id)
	for _, m := range s.members {
		if e.docs[m.id] == m {
			delete(e.docs, m.id)
		}
		if m.urlKey != "" && e.byURL[m.urlKey] == m {
			delete(e.byURL, m.urlKey)
		}
		if m.hasContent && e.byContent[m.content] == m {
			delete(e.byContent, m.content)
		}
		for _, k := range m.bands {
			b := slices.DeleteFunc(e.buckets[k], func(o *member) bool { return o == m })
			if len(b) == 0 {
				delete(e.buckets, k)
			} else {
				e.buckets[k] = b
			}
		}
	}
	e.evictions++
}

// sweep compacts every posting list and forgets redirects whose target has
// left the window more than three windows (by arrivals) ago.
func (e *Engine) sweep() {
	for t, ps := range e.postings {
		ps = compact(ps, t)
		if len(ps) == 0 {
			delete(e.postings, t)
		} else {
			e.postings[t] = slices.Clip(ps)
		}
	}
	horizon := uint64(3 * max(e.opts.WindowArticles, len(e.stories)))
	for id, r := range e.redirects {
		if _, live := e.stories[e.resolve(r.to)]; !live && e.seq-r.seq > horizon {
			delete(e.redirects, id)
		}
	}
	e.evictions = 0
}
