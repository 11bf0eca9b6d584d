package cluster

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/sharedtest"
)

// benchCorpus generates docs about many events: each event has its own
// eight rare words; docs mix four to six of them with common words drawn
// from a Zipf distribution over a 50,000-word vocabulary.
type benchCorpus struct {
	rng  *rand.Rand
	zipf *rand.Zipf
}

func newBenchCorpus() *benchCorpus {
	rng := rand.New(rand.NewPCG(7, 11))
	return &benchCorpus{rng: rng, zipf: rand.NewZipf(rng, 1.1, 1, 49_999)}
}

func (c *benchCorpus) doc(id string, event, textWords int, t time.Time) Doc {
	var title, text strings.Builder
	for range 4 + c.rng.IntN(3) {
		fmt.Fprintf(&title, "ev%dw%d ", event, c.rng.IntN(8))
	}
	for range 3 {
		fmt.Fprintf(&title, "c%d ", c.zipf.Uint64())
	}
	for i := range textWords {
		if i%5 == 0 {
			fmt.Fprintf(&text, "ev%dw%d ", event, c.rng.IntN(8))
		} else {
			fmt.Fprintf(&text, "c%d ", c.zipf.Uint64())
		}
		if i%20 == 19 {
			text.WriteString("Next. ")
		}
	}
	return Doc{ID: id, Title: title.String(), Text: text.String(), Published: t}
}

// BenchmarkAdd measures Add with 50,000 live stories in the window: the
// engine is first filled with one article for each of 50,000 events, then
// every benchmarked article belongs to a random one of 60,000 events (so
// some join stories, some start new ones).
func BenchmarkAdd(b *testing.B) {
	for _, bc := range []struct {
		name  string
		words int
	}{{"titles", 0}, {"articles-150w", 150}} {
		b.Run(bc.name, func(b *testing.B) {
			const live = 50_000
			c := newBenchCorpus()
			e := New(Options{})
			t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range live {
				e.Add(c.doc(fmt.Sprintf("fill%d", i), i, bc.words, t0.Add(time.Duration(i)*time.Second)))
			}
			docs := make([]Doc, min(b.N, 200_000))
			for i := range docs {
				docs[i] = c.doc(fmt.Sprintf("b%d", i), c.rng.IntN(live*6/5), bc.words, t0.Add(time.Duration(live+i)*time.Second))
			}
			runtime.GC()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				e.Add(docs[i%len(docs)])
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "articles/s")
			b.StopTimer()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(e.Len()), "stories")
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap")
			runtime.KeepAlive(e)
		})
	}
}

// BenchmarkTrackerWikinews measures the clustering step of ingest on real
// text: every Wikinews article (about 5,700, dated, in file order) through
// Tracker.Add in batches of 500, and after each batch the records of the
// stories it touched rebuilt, as ingest saves them (without analysis, so no
// places, entities or topics to aggregate). One op is the whole corpus;
// articles/s is reported.
func BenchmarkTrackerWikinews(b *testing.B) {
	p := sharedtest.Path(b, "data/demo-corpus/wikinews.jsonl")
	var arts []*article.Article
	err := eachJSONLine(p, func(_ int, raw []byte) error {
		var r struct {
			ID, URL, Title, Text, Published string
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		a := &article.Article{ID: r.ID, URL: r.URL, Title: r.Title, Text: r.Text, Source: "wikinews"}
		a.Published, _ = time.Parse("2006-01-02", r.Published)
		arts = append(arts, a)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		tr := NewTracker(Options{})
		for lo := 0; lo < len(arts); lo += 500 {
			touched := map[string]bool{}
			for _, a := range arts[lo:min(lo+500, len(arts))] {
				touched[tr.Add(a).Story] = true
			}
			for id := range touched {
				if _, ok := tr.Record(tr.Engine().Resolve(id)); !ok {
					b.Fatal("no record for", id)
				}
			}
			tr.Flushed()
		}
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
