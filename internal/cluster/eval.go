package cluster

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/entities"
	"github.com/vantage-news/vantage/internal/gazetteer"
	"github.com/vantage-news/vantage/internal/geo"
)

// StoryReport holds the clustering figures for one labelled corpus, one run
// per stream order.
type StoryReport struct {
	Corpus  string
	Dataset string // "googlenews", "ecbplus" or "generic"
	Docs    int
	Gold    int // gold clusters
	Runs    []StoryRun
}

// StoryRun is the score of one pass over the corpus in one order.
type StoryRun struct {
	Order               string
	Stories             int // predicted stories (after merges)
	Duplicates          int // articles folded as duplicates
	Merges              int
	Splits              int     // stories found to hold two events and split
	Precision, Recall   float64 // B-cubed
	F1                  float64
	NMI                 float64 // I/√(H(gold)·H(pred)), as in the MStream paper
	NMIArithmetic       float64 // I/((H(gold)+H(pred))/2), scikit-learn's default
	Topics, TopicsMixed int     // ECB+: topics, and topics with a story mixing their two events
	Duration            time.Duration
	ArticlesPerSecond   float64
}

// String formats the report as a small table.
func (r *StoryReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "corpus %s (%s): %d articles, %d gold stories\n", r.Corpus, r.Dataset, r.Docs, r.Gold)
	fmt.Fprintf(&b, "%-22s %7s %6s %6s %6s %6s %6s %6s %6s %6s %9s\n", "order", "stories", "B3-P", "B3-R", "B3-F1", "NMI", "NMIa", "dups", "merges", "splits", "art/s")
	for _, x := range r.Runs {
		fmt.Fprintf(&b, "%-22s %7d %6.3f %6.3f %6.3f %6.3f %6.3f %6d %6d %6d %9.0f", x.Order, x.Stories, x.Precision, x.Recall, x.F1, x.NMI, x.NMIArithmetic, x.Duplicates, x.Merges, x.Splits, x.ArticlesPerSecond)
		if x.Topics > 0 {
			fmt.Fprintf(&b, "  topics mixing their two events: %d/%d", x.TopicsMixed, x.Topics)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

type labelled struct {
	doc     Doc
	gold    string
	topic   string
	posNews int
	posT    int
}

// readStories reads a JSON Lines corpus of labelled articles: id, cluster,
// text, and optionally title, published, source, url, topic, pos_news,
// pos_news_t.
func readStories(path string) ([]labelled, string, error) {
	var out []labelled
	dataset := "generic"
	err := eachJSONLine(path, func(line int, raw []byte) error {
		var r struct {
			ID        string          `json:"id"`
			Cluster   json.RawMessage `json:"cluster"`
			Topic     json.RawMessage `json:"topic"`
			Title     string          `json:"title"`
			Text      string          `json:"text"`
			Source    string          `json:"source"`
			URL       *string         `json:"url"`
			Published string          `json:"published"`
			PosNews   *int            `json:"pos_news"`
			PosNewsT  *int            `json:"pos_news_t"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		if len(r.Cluster) == 0 {
			return errors.New("no cluster label")
		}
		l := labelled{gold: strings.Trim(string(r.Cluster), `"`), topic: strings.Trim(string(r.Topic), `"`)}
		l.doc = Doc{ID: r.ID, Title: r.Title, Text: r.Text, Source: r.Source}
		if r.URL != nil {
			l.doc.URL = *r.URL
		}
		if r.Published != "" {
			for _, layout := range []string{time.RFC3339, "2006-01-02"} {
				if t, err := time.Parse(layout, r.Published); err == nil {
					l.doc.Published = t
					break
				}
			}
		}
		if l.doc.Title == "" {
			// title-only corpora (GoogleNews): the text is the title
			l.doc.Title, l.doc.Text = l.doc.Text, ""
		} else if first, rest, ok := strings.Cut(l.doc.Text, "\n"); ok && strings.TrimSpace(first) == strings.TrimSpace(l.doc.Title) {
			l.doc.Text = rest
		}
		if r.PosNewsT != nil {
			dataset = "googlenews"
			l.posT = *r.PosNewsT
			if r.PosNews != nil {
				l.posNews = *r.PosNews
			}
		} else if l.topic != "" && dataset == "generic" {
			dataset = "ecbplus"
		}
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(out) == 0 {
		return nil, "", fmt.Errorf("cluster: %s: no articles", path)
	}
	return out, dataset, nil
}

// EvalStories clusters a labelled JSON Lines corpus in stream order and
// scores the stories against the `cluster` labels with B-cubed
// precision/recall/F1 and NMI. GoogleNews (MStream) files are run in the
// News-T order (pos_news_t) and the original order (pos_news); other files
// in file order and, as a robustness check, in a fixed shuffled order.
// Duplicates count in the story of their original; merged stories are
// resolved at the end of the stream.
func EvalStories(ctx context.Context, corpusPath string, opts Options) (*StoryReport, error) {
	items, dataset, err := readStories(corpusPath)
	if err != nil {
		return nil, err
	}
	rep := &StoryReport{Corpus: corpusPath, Dataset: dataset, Docs: len(items)}
	gold := map[string]bool{}
	for _, it := range items {
		gold[it.gold] = true
	}
	rep.Gold = len(gold)
	type order struct {
		name  string
		items []labelled
	}
	var orders []order
	switch dataset {
	case "googlenews":
		t := slices.Clone(items)
		slices.SortStableFunc(t, func(a, b labelled) int { return cmp.Compare(a.posT, b.posT) })
		n := slices.Clone(items)
		slices.SortStableFunc(n, func(a, b labelled) int { return cmp.Compare(a.posNews, b.posNews) })
		orders = []order{{"News-T (pos_news_t)", t}, {"News (pos_news)", n}}
	default:
		sh := slices.Clone(items)
		rand.New(rand.NewPCG(1, 2)).Shuffle(len(sh), func(i, j int) { sh[i], sh[j] = sh[j], sh[i] })
		orders = []order{{"file order", items}, {"shuffled (seed 1)", sh}}
	}
	for _, o := range orders {
		run, err := runStories(ctx, o.items, opts)
		if err != nil {
			return nil, err
		}
		run.Order = o.name
		rep.Runs = append(rep.Runs, run)
	}
	// The same orders again as ingest sees them: with the entities and focus
	// places of the production analysers (geoparser, entity extractor).
	analysed, err := analyseItems(ctx, items)
	if err != nil {
		return nil, err
	}
	for _, o := range orders {
		its := slices.Clone(o.items)
		for i := range its {
			its[i].doc = analysed[its[i].doc.ID]
		}
		run, err := runStories(ctx, its, opts)
		if err != nil {
			return nil, err
		}
		run.Order = o.name + " +ents"
		rep.Runs = append(rep.Runs, run)
	}
	return rep, nil
}

// analyseItems runs the ingest analysers that feed the clusterer (geoparser,
// then entity extractor, as pipeline.Standard orders them) over every item
// and returns the docs with their entities and focus places, by ID.
func analyseItems(ctx context.Context, items []labelled) (map[string]Doc, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, err
	}
	gp, err := geo.New(g, geo.Options{})
	if err != nil {
		return nil, err
	}
	ga, ea := geo.Analyser{P: gp}, entities.Analyser{X: entities.New(g)}
	out := make(map[string]Doc, len(items))
	for _, it := range items {
		a := &article.Article{ID: it.doc.ID, Title: it.doc.Title, Text: it.doc.Text, Source: it.doc.Source,
			URL: it.doc.URL, Published: it.doc.Published}
		if err := ga.Analyse(ctx, a); err != nil {
			return nil, err
		}
		if err := ea.Analyse(ctx, a); err != nil {
			return nil, err
		}
		out[it.doc.ID] = DocFromArticle(a)
	}
	return out, nil
}

func runStories(ctx context.Context, items []labelled, opts Options) (StoryRun, error) {
	var run StoryRun
	e := New(opts)
	story := make([]string, len(items))
	index := make(map[string]int, len(items))
	start := time.Now()
	for i, it := range items {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return run, err
			}
		}
		a := e.Add(it.doc)
		story[i] = a.Story
		index[it.doc.ID] = i
		if a.DuplicateOf != "" {
			run.Duplicates++
		}
		run.Merges += len(a.Merged)
		if len(a.Moved) > 0 {
			run.Splits++
		}
		for _, mv := range a.Moved {
			if j, ok := index[mv.ArticleID]; ok {
				story[j] = mv.To
			}
		}
	}
	run.Duration = time.Since(start)
	run.ArticlesPerSecond = float64(len(items)) / math.Max(run.Duration.Seconds(), 1e-9)
	pred := make([]string, len(items))
	goldL := make([]string, len(items))
	stories := map[string]bool{}
	for i, it := range items {
		pred[i] = e.Resolve(story[i])
		goldL[i] = it.gold
		stories[pred[i]] = true
	}
	run.Stories = len(stories)
	run.Precision, run.Recall, run.F1 = BCubed(goldL, pred)
	run.NMI, run.NMIArithmetic = NMI(goldL, pred)
	if items[0].topic != "" {
		topicsOf := map[string]bool{}
		events := map[string]map[string]bool{} // story → gold events
		topicOfGold := map[string]string{}
		for i, it := range items {
			topicsOf[it.topic] = true
			topicOfGold[it.gold] = it.topic
			if events[pred[i]] == nil {
				events[pred[i]] = map[string]bool{}
			}
			events[pred[i]][it.gold] = true
		}
		mixed := map[string]bool{}
		for _, evs := range events {
			perTopic := map[string]int{}
			for g := range evs {
				perTopic[topicOfGold[g]]++
			}
			for t, n := range perTopic {
				if n > 1 {
					mixed[t] = true
				}
			}
		}
		run.Topics, run.TopicsMixed = len(topicsOf), len(mixed)
	}
	return run, nil
}

// BCubed returns the B-cubed precision, recall and F1 of a clustering
// (Bagga & Baldwin 1998; Amigó et al. 2009): per item, the share of its
// predicted cluster that shares its gold label, and the share of its gold
// cluster that shares its predicted cluster, averaged over items.
func BCubed(gold, pred []string) (p, r, f float64) {
	type pair struct{ g, p string }
	joint := map[pair]int{}
	gn := map[string]int{}
	pn := map[string]int{}
	for i := range gold {
		joint[pair{gold[i], pred[i]}]++
		gn[gold[i]]++
		pn[pred[i]]++
	}
	for i := range gold {
		j := float64(joint[pair{gold[i], pred[i]}])
		p += j / float64(pn[pred[i]])
		r += j / float64(gn[gold[i]])
	}
	n := float64(len(gold))
	if n == 0 {
		return 0, 0, 0
	}
	p, r = p/n, r/n
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// NMI returns the normalised mutual information of two labellings,
// normalised by the geometric and by the arithmetic mean of the entropies.
func NMI(gold, pred []string) (geometric, arithmetic float64) {
	n := float64(len(gold))
	if n == 0 {
		return 0, 0
	}
	type pair struct{ g, p string }
	joint := map[pair]float64{}
	gn := map[string]float64{}
	pn := map[string]float64{}
	for i := range gold {
		joint[pair{gold[i], pred[i]}]++
		gn[gold[i]]++
		pn[pred[i]]++
	}
	var mi, hg, hp float64
	for k, c := range joint {
		mi += c / n * math.Log(c*n/(gn[k.g]*pn[k.p]))
	}
	for _, c := range gn {
		hg -= c / n * math.Log(c/n)
	}
	for _, c := range pn {
		hp -= c / n * math.Log(c/n)
	}
	if hg == 0 || hp == 0 {
		if hg == hp {
			return 1, 1
		}
		return 0, 0
	}
	return mi / math.Sqrt(hg*hp), mi / ((hg + hp) / 2)
}

// eachJSONLine calls fn with every non-blank line of a JSON Lines file and its
// line number; an error from fn stops the read and is returned with the place.
func eachJSONLine(path string, fn func(line int, raw []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if err := fn(line, raw); err != nil {
			return fmt.Errorf("cluster: %s:%d: %w", path, line, err)
		}
	}
	return sc.Err()
}
