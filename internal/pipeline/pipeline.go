// Package pipeline runs articles through the steps of Vantage in order:
// normalise → analysers (places, entities, topics, stories) → store, in batches,
// counting what was read, stored, folded as duplicate or rejected and why.
package pipeline

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/cluster"
	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/ingest"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
)

// Analyser adds what it finds to a normalised article (a.Analysis). Later steps
// of the product (geoparser, entities, topics, story clustering) plug in here.
type Analyser interface {
	Name() string
	Analyse(ctx context.Context, a *article.Article) error
}

// Pipeline moves records into a store.
type Pipeline struct {
	Store     store.Store
	Analysers []Analyser
	// Stories, when set, clusters every newly stored article and keeps the
	// store's story records up to date after each batch.
	Stories *cluster.Tracker
	// OnStories, when set, receives the story records of each batch once
	// they are saved (the lens index and alerts follow the stream this way).
	OnStories func(ctx context.Context, sts []article.Story)
	// Observe, when set, receives the duration of each analyser run.
	Observe   func(analyser string, d time.Duration)
	BatchSize int              // articles per transaction (default 500)
	Logger    *slog.Logger     // nil: no logs
	Progress  func(s Summary)  // called after each batch, may be nil
	Now       func() time.Time // clock for Fetched (default time.Now)
	MaxErrors int              // rejection messages kept in the summary (default 20)
	// Workers analyse a batch's articles in parallel (default GOMAXPROCS);
	// analysers must be safe for concurrent use.
	Workers int
	// Done, when set, receives the summary of every run (metrics).
	Done func(Summary)

	runMu sync.Mutex // one run at a time: feeds and API posts share the clusterer
}

// analysisError is why one article of a batch failed analysis.
type analysisError struct {
	analyser string
	err      error
}

// analyse runs the analysers over every article of the batch, Workers at a
// time; an article stops at its first failing analyser.
func (p *Pipeline) analyse(ctx context.Context, batch []article.Article) []analysisError {
	errs := make([]analysisError, len(batch))
	if len(p.Analysers) == 0 {
		return errs
	}
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(batch))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(batch) || ctx.Err() != nil {
					return
				}
				for _, an := range p.Analysers {
					t0 := time.Now()
					err := an.Analyse(ctx, &batch[i])
					if p.Observe != nil {
						p.Observe(an.Name(), time.Since(t0))
					}
					if err != nil {
						errs[i] = analysisError{an.Name(), err}
						break
					}
				}
			}
		})
	}
	wg.Wait()
	return errs
}

// Summary counts one run.
type Summary struct {
	Read      int            `json:"read"`
	New       int            `json:"new"`
	Duplicate int            `json:"duplicate"`
	Stories   int            `json:"stories,omitempty"` // stories started
	Rejected  int            `json:"rejected"`
	Reasons   map[string]int `json:"reasons,omitempty"`
	Errors    []string       `json:"errors,omitempty"` // the first rejections, with where they happened
	Elapsed   time.Duration  `json:"elapsed_ns"`
	Stages    Stages         `json:"stages"`
}

// Stages is where a run spent its time. Analyse is the wall time of the
// analysis stage (its analysers run in parallel, and the stage overlaps
// the other three, so the four do not add up to Elapsed); the others run
// one after another in the storing stage.
type Stages struct {
	Analyse       time.Duration `json:"analyse_ns"`
	StoreArticles time.Duration `json:"store_articles_ns"`
	Cluster       time.Duration `json:"cluster_ns"`      // assigning articles to stories (the clustering engine)
	SaveStories   time.Duration `json:"save_stories_ns"` // rebuilding and storing the touched story records
	Clustered     int           `json:"clustered"`       // articles assigned to stories
}

// String is the one-line summary printed at the end of an import.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %d, new %d, duplicate %d, rejected %d", s.Read, s.New, s.Duplicate, s.Rejected)

	if len(s.Reasons) > 0 {
		keys := make([]string, 0, len(s.Reasons))
		for k := range s.Reasons {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s: %d", k, s.Reasons[k])
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	switch {
	case s.Stories == 1:
		b.WriteString("; 1 new story")
	case s.Stories > 1:
		fmt.Fprintf(&b, "; %d new stories", s.Stories)
	}
	return b.String()
}

// Run consumes src until it ends or ctx is cancelled; the error is only for
// failures that stop the whole run (the store failing), never for one bad item.
//
// Two stages overlap: one reads, normalises and analyses a batch (the
// analysers in parallel, Workers at a time) while the other stores and
// clusters the batch before it, so both cores stay busy.
func (p *Pipeline) Run(ctx context.Context, src iter.Seq[ingest.Record]) (sum Summary, err error) {
	p.runMu.Lock()
	defer p.runMu.Unlock()
	if p.Done != nil {
		defer func() { p.Done(sum) }()
	}
	start := time.Now()
	batchSize := p.BatchSize
	if batchSize <= 0 {
		batchSize = 500
	}
	maxErr := p.MaxErrors
	if maxErr <= 0 {
		maxErr = 20
	}
	now := p.Now
	if now == nil {
		now = time.Now
	}
	log := p.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := Summary{Reasons: map[string]int{}}
	rejectf := func(where, reason string, err error) {
		s.Rejected++
		s.Reasons[reason]++
		if len(s.Errors) < maxErr {
			s.Errors = append(s.Errors, fmt.Sprintf("%s: %v", where, err))
		}
		log.Debug("rejected", "where", where, "reason", reason, "err", err)
	}

	// Stage one: read, normalise, analyse; a batch goes out with the
	// rejections met while filling it.
	type rejection struct {
		where, reason string
		err           error
	}
	type job struct {
		arts    []article.Article
		read    int
		rejects []rejection
		analyse time.Duration
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job, 1)
	go func() {
		defer close(jobs)
		cur := job{}
		var wheres []string
		send := func() bool {
			t0 := time.Now()
			errs := p.analyse(runCtx, cur.arts)
			cur.analyse = time.Since(t0)
			kept := cur.arts[:0]
			for i := range cur.arts {
				if errs[i].err != nil {
					cur.rejects = append(cur.rejects, rejection{wheres[i], "analysis failed (" + errs[i].analyser + ")", errs[i].err})
					continue
				}
				kept = append(kept, cur.arts[i])
			}
			cur.arts = kept
			select {
			case jobs <- cur:
			case <-runCtx.Done():
				return false
			}
			cur, wheres = job{}, nil
			return true
		}
		for rec := range src {
			if runCtx.Err() != nil {
				return
			}
			cur.read++
			if rec.Err != nil {
				cur.rejects = append(cur.rejects, rejection{rec.Where, ingest.Reason(rec.Err), rec.Err})
				continue
			}
			a := rec.Article
			if err := normalize.Article(&a); err != nil {
				reason := "invalid article"
				if err == normalize.ErrEmpty {
					reason = "empty article"
				}
				cur.rejects = append(cur.rejects, rejection{rec.Where, reason, err})
				continue
			}
			if a.Fetched.IsZero() {
				a.Fetched = now().UTC()
			}
			cur.arts = append(cur.arts, a)
			wheres = append(wheres, rec.Where)
			if len(cur.arts) >= batchSize && !send() {
				return
			}
		}
		if cur.read > 0 && runCtx.Err() == nil {
			send()
		}
	}()

	// Stage two: store, cluster, count.
	var failure error
	for j := range jobs {
		if failure != nil {
			continue // drain after a failure
		}
		s.Read += j.read
		s.Stages.Analyse += j.analyse
		for _, r := range j.rejects {
			rejectf(r.where, r.reason, r.err)
		}
		if len(j.arts) == 0 {
			if p.Progress != nil {
				p.Progress(s)
			}
			continue
		}
		t0 := time.Now()
		out, err := p.Store.PutArticles(ctx, j.arts)
		s.Stages.StoreArticles += time.Since(t0)
		if err != nil {
			failure = fmt.Errorf("store batch of %d: %w", len(j.arts), err)
			cancel()
			continue
		}
		var fresh []*article.Article
		for i, o := range out {
			if o.Status == store.New {
				s.New++
				fresh = append(fresh, &j.arts[i])
			} else {
				s.Duplicate++
			}
		}
		if p.Stories != nil {
			n, err := p.cluster(ctx, fresh, false, &s.Stages)
			if err != nil {
				failure = err
				cancel()
				continue
			}
			s.Stories += n
		}
		if p.Progress != nil {
			p.Progress(s)
		}
	}
	s.Elapsed = time.Since(start)
	if failure != nil {
		return s, failure
	}
	if len(s.Reasons) == 0 {
		s.Reasons = nil
	}
	log.Info("ingest finished", "read", s.Read, "new", s.New, "duplicate", s.Duplicate, "rejected", s.Rejected, "elapsed", s.Elapsed)
	return s, ctx.Err()
}

// cluster assigns arts to stories and saves the assignments and the rebuilt
// records of every story they touched. With restore, articles that already
// carry a story ID go back into that story (warm-up after a restart) and
// only the changes are saved. It returns the number of stories started and,
// when st is not nil, adds the time spent to it.
func (p *Pipeline) cluster(ctx context.Context, arts []*article.Article, restore bool, st *Stages) (int, error) {
	if len(arts) == 0 {
		return 0, nil
	}
	t0 := time.Now()
	eng := p.Stories.Engine()
	var (
		started   int
		assigns   []store.Assignment
		at        = map[string]int{} // article ID → its entry in assigns
		touched   = map[string]bool{}
		redirects = map[string]string{}
	)
	assign := func(a store.Assignment) { // the latest assignment of an article wins
		touched[a.StoryID] = true
		if i, ok := at[a.ArticleID]; ok {
			assigns[i] = a
			return
		}
		at[a.ArticleID] = len(assigns)
		assigns = append(assigns, a)
	}
	for _, a := range arts {
		var as cluster.Assignment
		if restore {
			as = p.Stories.Restore(a)
			if a.Analysis != nil && a.Analysis.StoryID != "" {
				continue // already stored that way
			}
		} else {
			as = p.Stories.Add(a)
		}
		if as.NewStory || len(as.Moved) > 0 { // a split starts a story too
			started++
		}
		assign(store.Assignment{ArticleID: a.ID, StoryID: as.Story, DuplicateOf: as.DuplicateOf})
		for _, m := range as.Merged {
			redirects[m] = as.Story
		}
		// A split moves earlier articles (stored in an earlier batch or
		// earlier in this one) to the new story: they are saved again.
		for _, mv := range as.Moved {
			assign(store.Assignment{ArticleID: mv.ArticleID, StoryID: mv.To, DuplicateOf: mv.DuplicateOf})
			touched[mv.From] = true
		}
	}
	t1 := time.Now()
	// Resolve through merges made later in the batch.
	for i := range assigns {
		assigns[i].StoryID = eng.Resolve(assigns[i].StoryID)
	}
	for from, to := range redirects {
		redirects[from] = eng.Resolve(to)
	}
	u := store.StoryUpdate{Assignments: assigns, Redirects: redirects}
	done := map[string]bool{}
	ids := make([]string, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		rec, ok := p.Stories.Record(id)
		if !ok || done[rec.ID] {
			continue
		}
		done[rec.ID] = true
		u.Stories = append(u.Stories, *rec)
	}
	if err := p.Store.PutStories(ctx, u); err != nil {
		return started, fmt.Errorf("save stories: %w", err)
	}
	p.Stories.Flushed()
	if st != nil {
		st.Cluster += t1.Sub(t0)
		st.SaveStories += time.Since(t1)
		st.Clustered += len(arts)
	}
	if p.OnStories != nil && len(u.Stories) > 0 {
		p.OnStories(ctx, u.Stories)
	}
	return started, nil
}

// WarmStories replays the stored articles of the clustering window (ending
// at the newest stored article) into p.Stories, so a restarted process keeps
// its story IDs and joins new reports to stories it built before. Stored
// articles that were never clustered are clustered now. It returns the
// number of articles replayed.
func (p *Pipeline) WarmStories(ctx context.Context) (int, error) {
	if p.Stories == nil {
		return 0, nil
	}
	latest, err := p.Store.Articles(ctx, store.ArticleQuery{Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("warm stories: %w", err)
	}
	if len(latest.Articles) == 0 {
		return 0, nil
	}
	newest := latest.Articles[0].Published
	if newest.IsZero() {
		newest = latest.Articles[0].Fetched
	}
	since := newest.Add(-p.Stories.Engine().Options().Window)
	n := 0
	var chunk []*article.Article
	err = p.Store.Replay(ctx, since, func(a *article.Article) error {
		n++
		chunk = append(chunk, a)
		if len(chunk) < 500 {
			return nil
		}
		_, err := p.cluster(ctx, chunk, true, nil)
		chunk = chunk[:0]
		return err
	})
	if err == nil {
		_, err = p.cluster(ctx, chunk, true, nil)
	}
	if err == nil {
		err = p.restoreSplits(ctx, since)
	}
	if err != nil {
		return n, fmt.Errorf("warm stories: %w", err)
	}
	return n, nil
}

// restoreSplits tells the engine which live stories were split from one
// another (the stored records say so), so that after a restart it keeps
// them apart and their records keep the link.
func (p *Pipeline) restoreSplits(ctx context.Context, since time.Time) error {
	links, err := p.Store.SplitLinks(ctx, since)
	if err != nil {
		return err
	}
	eng := p.Stories.Engine()
	for to, from := range links {
		eng.MarkSplit(from, to)
	}
	return nil
}

// FeedIngest is the poller's counting sink over p: each feed's articles go
// through RunFeed, and the outcome is what the run did with them.
func (p *Pipeline) FeedIngest() feeds.CountingSink {
	return func(ctx context.Context, feed feeds.FeedState, arts []article.Article) (feeds.Outcome, error) {
		s, err := p.RunFeed(ctx, feed.ID, feed.URL, arts)
		return feeds.Outcome{New: s.New, Duplicates: s.Duplicate, Rejected: s.Rejected, Reasons: s.Reasons}, err
	}
}

// RunFeed runs the articles one poll of a feed brought, each tagged with
// the feed (FeedID) and reported as coming from "URL#n".
func (p *Pipeline) RunFeed(ctx context.Context, feedID int64, feedURL string, arts []article.Article) (Summary, error) {
	return p.Run(ctx, func(yield func(ingest.Record) bool) {
		for i, a := range arts {
			a.FeedID = feedID
			if !yield(ingest.Record{Article: a, Where: fmt.Sprintf("%s#%d", feedURL, i+1)}) {
				return
			}
		}
	})
}
