package cluster

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Story is a snapshot of one story.
type Story struct {
	ID       string
	Headline string // the most central title, outlet suffix removed
	Summary  string // extractive, about Options.SummaryWords words
	// SummarySentences are the sentences of Summary with their article.
	SummarySentences []SummarySentence
	Articles         []string // article IDs in arrival order, duplicates included
	Sources          []Source // one per article, in arrival order
	// Merged lists the story IDs folded into this one (they Resolve to ID).
	Merged []string
	// SplitFrom is the story this one was split from (its first articles
	// were reports of another event); SplitOff the stories split from it.
	SplitFrom string
	SplitOff  []string
	FirstSeen time.Time // earliest Published (zero when unknown)
	LastSeen  time.Time // latest Published
	// ArticleCount counts every article, duplicates included;
	// IndependentSourceCount counts distinct publishers (Doc.Source,
	// case-insensitive) among the non-duplicate articles, an article with no
	// source counting as a publisher of its own.
	ArticleCount, IndependentSourceCount int
	Places                               map[int64]float64 // mean focus weight per original article
	Entities                             map[string]int    // original articles naming each entity
}

// SummarySentence is one summary sentence and the article it comes from.
type SummarySentence struct {
	Text, ArticleID string
}

// Source is one article's publisher and link.
type Source struct {
	Name, URL, ArticleID string
	DuplicateOf          string // set when the article is a duplicate
}

// Story returns a snapshot of a live story; merged IDs are resolved to the
// surviving story. The headline and summary are computed on each call.
func (e *Engine) Story(id string) (*Story, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	s, ok := e.stories[e.resolve(id)]
	if !ok {
		return nil, false
	}
	return e.snapshot(s), true
}

// Stories returns snapshots of all live stories, oldest first. It computes
// every headline and summary, so it costs about one Story call per story.
func (e *Engine) Stories() []*Story {
	e.mu.Lock()
	defer e.mu.Unlock()
	live := make([]*story, 0, len(e.stories))
	for _, s := range e.stories {
		live = append(live, s)
	}
	slices.SortFunc(live, func(a, b *story) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]*Story, len(live))
	for i, s := range live {
		out[i] = e.snapshot(s)
	}
	return out
}

// Len returns the number of live stories.
func (e *Engine) Len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.stories)
}

func (e *Engine) snapshot(s *story) *Story {
	out := &Story{
		ID:           s.id,
		FirstSeen:    s.firstSeen,
		LastSeen:     s.lastSeen,
		ArticleCount: len(s.members),
		Merged:       slices.Clone(s.merged),
		SplitFrom:    s.splitFrom,
		SplitOff:     slices.Clone(s.splitOff),
		Entities:     make(map[string]int, len(s.entities)),
		Places:       make(map[int64]float64, len(s.places)),
	}
	members := slices.Clone(s.members)
	// after merges, members are no longer in arrival order
	slices.SortStableFunc(members, func(a, b *member) int { return cmp.Compare(a.seq, b.seq) })
	publishers := map[string]bool{}
	for _, m := range members {
		out.Articles = append(out.Articles, m.id)
		out.Sources = append(out.Sources, Source{Name: m.source, URL: m.url, ArticleID: m.id, DuplicateOf: m.dupOf})
		if m.dupOf != "" {
			continue
		}
		if m.source == "" {
			out.IndependentSourceCount++
		} else if k := strings.ToLower(m.source); !publishers[k] {
			publishers[k] = true
			out.IndependentSourceCount++
		}
	}
	for k, n := range s.entities {
		out.Entities[k] = n
	}
	for k, w := range s.places {
		out.Places[k] = w / float64(max(s.nonDup, 1))
	}
	out.Headline = e.headline(s, members)
	out.SummarySentences = e.summarise(s, members)
	parts := make([]string, len(out.SummarySentences))
	for i, ss := range out.SummarySentences {
		parts[i] = ss.Text
	}
	out.Summary = strings.Join(parts, " ")
	return out
}

// headline picks the title closest to the centroid, cleaned of its outlet.
func (e *Engine) headline(s *story, members []*member) string {
	var best *member
	bestSim := -1.0
	for _, m := range members {
		if m.dupOf != "" || strings.TrimSpace(m.title) == "" {
			continue
		}
		if sim := cosine(m.titleVec, m.titleVec.norm(), s.centroid, s.norm); sim > bestSim {
			best, bestSim = m, sim
		}
	}
	if best == nil {
		for _, m := range members {
			if len(m.sents) > 0 {
				return truncateWords(m.sents[0], 20)
			}
		}
		return ""
	}
	return CleanHeadline(best.title, best.source)
}

func truncateWords(s string, n int) string {
	fs := strings.Fields(s)
	if len(fs) <= n {
		return strings.Join(fs, " ")
	}
	return strings.Join(fs[:n], " ") + " …"
}

// leadSentences keeps the first n sentences of text worth summarising
// (cleaned by cleanSentence, 6 to 80 words), leaving out a first line that
// repeats the title. When no sentence passes cleanSentence (a teaser cut
// off with "…", a text without full stops), the raw sentences of 6 to 80
// words are kept instead and raw is true; summarise uses those only when
// no article of the story has clean ones, so a story with text always has
// a summary.
func leadSentences(title, text string, n int) (out []string, raw bool) {
	tkey := strings.Join(words(title), " ")
	all := sentences(text)
	for _, strict := range []bool{true, false} {
		for _, s := range all {
			if len(out) >= n {
				break
			}
			if strict {
				var ok bool
				if s, ok = cleanSentence(s); !ok {
					continue
				}
			}
			nw := len(strings.Fields(s))
			if nw < 6 || nw > 80 {
				continue
			}
			if tkey != "" && strings.Join(words(s), " ") == tkey {
				continue
			}
			out = append(out, strings.Clone(s)) // do not pin the whole text
		}
		if len(out) > 0 {
			return out, !strict
		}
	}
	return nil, false
}

// summarise selects central, covering, non-redundant lead sentences up to
// SummaryWords words (whole sentences). Greedy budgeted maximisation in the
// manner of Lin & Bilmes (2011): each step takes the candidate with the
// highest
//
//	(λ·centrality + (1−λ)·coverage gain) · lead prior / words^0.3
//
// where centrality is the cosine of the sentence to the story centroid,
// the coverage gain is the centroid weight (normalised) of the sentence's
// terms no picked sentence covers yet — the centroid sums the articles'
// vectors, so terms many articles share weigh most, and a sentence
// repeating covered content gains nothing —, the lead prior is
// 1/(1+0.3·position in its article), and words^0.3 is the cost scaling of
// Lin & Bilmes. Near-copies (cosine > 0.7 to a picked sentence) are
// skipped. The picked sentences are output in article arrival order, then
// in their order within the article.
func (e *Engine) summarise(s *story, members []*member) []SummarySentence {
	type cand struct {
		text, article string
		vec           vector
		cent, prior   float64
		cost          float64
		words         int
		order         int // article rank × 1000 + position, for ordering
	}
	var cands []cand
	seen := map[string]bool{}
	for _, raw := range []bool{false, true} {
		used := 0
		for _, m := range members {
			if m.dupOf != "" || len(m.sents) == 0 {
				continue
			}
			if used++; used > e.opts.SummaryArticles {
				break
			}
			if m.rawSents != raw {
				continue
			}
			for pos, text := range m.sents {
				key := strings.Join(words(text), " ")
				if seen[key] {
					continue
				}
				seen[key] = true
				v, n := e.vectorize("", text, false)
				if n == 0 {
					continue
				}
				nw := len(strings.Fields(text))
				cands = append(cands, cand{text, m.id, v, cosine(v, 1, s.centroid, s.norm),
					1 / (1 + 0.3*float64(pos)), math.Pow(float64(nw), 0.3), nw, used*1000 + pos})
			}
		}
		if len(cands) > 0 {
			break // raw sentences only when no article has clean ones
		}
	}
	weight := make(map[uint64]float64, len(s.centroid))
	for _, c := range s.centroid {
		weight[c.term] = float64(c.weight) / s.norm
	}
	covered := map[uint64]bool{}
	budget := e.opts.SummaryWords
	lambda := e.opts.MMRLambda
	var picked []cand
	total := 0
	for {
		bi, bestScore := -1, 0.0
		for i, c := range cands {
			if c.words == 0 || total+c.words > budget {
				continue
			}
			red := 0.0
			for _, p := range picked {
				red = max(red, dot(c.vec, p.vec))
			}
			if red > 0.7 {
				continue
			}
			gain := 0.0
			for _, x := range c.vec {
				if !covered[x.term] {
					gain += weight[x.term]
				}
			}
			if sc := (lambda*c.cent + (1-lambda)*gain) * c.prior / c.cost; bi < 0 || sc > bestScore {
				bi, bestScore = i, sc
			}
		}
		if bi < 0 {
			break
		}
		picked = append(picked, cands[bi])
		total += cands[bi].words
		for _, x := range cands[bi].vec {
			covered[x.term] = true
		}
		cands[bi].words = 0
	}
	if len(picked) == 0 && len(cands) > 0 {
		// every sentence is over budget: the most central one, shortened
		best := slices.MaxFunc(cands, func(a, b cand) int { return cmp.Compare(a.cent*a.prior, b.cent*b.prior) })
		return []SummarySentence{{Text: truncateWords(best.text, budget), ArticleID: best.article}}
	}
	slices.SortFunc(picked, func(a, b cand) int { return cmp.Compare(a.order, b.order) })
	out := make([]SummarySentence, len(picked))
	for i, p := range picked {
		out[i] = SummarySentence{Text: p.text, ArticleID: p.article}
	}
	return out
}
