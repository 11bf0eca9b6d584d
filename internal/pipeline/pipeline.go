// Package pipeline runs articles through the steps of Vantage in order:
// normalise → analysers (places, entities, topics, stories) → store, in batches,
// counting what was read, stored, folded as duplicate or rejected and why.
package pipeline

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
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
	BatchSize int              // articles per transaction (default 500)
	Logger    *slog.Logger     // nil: no logs
	Progress  func(s Summary)  // called after each batch, may be nil
	Now       func() time.Time // clock for Fetched (default time.Now)
	MaxErrors int              // rejection messages kept in the summary (default 20)
}

// Summary counts one run.
type Summary struct {
	Read      int            `json:"read"`
	New       int            `json:"new"`
	Duplicate int            `json:"duplicate"`
	Rejected  int            `json:"rejected"`
	Reasons   map[string]int `json:"reasons,omitempty"`
	Errors    []string       `json:"errors,omitempty"` // the first rejections, with where they happened
	Elapsed   time.Duration  `json:"elapsed_ns"`
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
	return b.String()
}

// Run consumes src until it ends or ctx is cancelled; the error is only for
// failures that stop the whole run (the store failing), never for one bad item.
func (p *Pipeline) Run(ctx context.Context, src iter.Seq[ingest.Record]) (Summary, error) {
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
	batch := make([]article.Article, 0, batchSize)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		out, err := p.Store.PutArticles(ctx, batch)
		if err != nil {
			return fmt.Errorf("store batch of %d: %w", len(batch), err)
		}
		for _, o := range out {
			if o.Status == store.New {
				s.New++
			} else {
				s.Duplicate++
			}
		}
		batch = batch[:0]
		if p.Progress != nil {
			p.Progress(s)
		}
		return nil
	}
	for rec := range src {
		if ctx.Err() != nil {
			break
		}
		s.Read++
		if rec.Err != nil {
			rejectf(rec.Where, ingest.Reason(rec.Err), rec.Err)
			continue
		}
		a := rec.Article
		if err := normalize.Article(&a); err != nil {
			reason := "invalid article"
			if err == normalize.ErrEmpty {
				reason = "empty article"
			}
			rejectf(rec.Where, reason, err)
			continue
		}
		if a.Fetched.IsZero() {
			a.Fetched = now().UTC()
		}
		failed := false
		for _, an := range p.Analysers {
			if err := an.Analyse(ctx, &a); err != nil {
				rejectf(rec.Where, "analysis failed ("+an.Name()+")", err)
				failed = true
				break
			}
		}
		if failed {
			continue
		}
		batch = append(batch, a)
		if len(batch) >= batchSize {
			if err := flush(); err != nil {
				s.Elapsed = time.Since(start)
				return s, err
			}
		}
	}
	if err := flush(); err != nil {
		s.Elapsed = time.Since(start)
		return s, err
	}
	s.Elapsed = time.Since(start)
	if len(s.Reasons) == 0 {
		s.Reasons = nil
	}
	log.Info("ingest finished", "read", s.Read, "new", s.New, "duplicate", s.Duplicate, "rejected", s.Rejected, "elapsed", s.Elapsed)
	return s, ctx.Err()
}
