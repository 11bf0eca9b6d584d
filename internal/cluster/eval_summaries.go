package cluster

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// SummaryReport holds the ROUGE figures of story summaries on a labelled
// multi-document summarisation corpus (WikinewsSum format), per system.
type SummaryReport struct {
	Corpus   string
	Clusters int // clusters scored (those with an English source)
	Systems  []SummarySystem
}

// SummarySystem is the mean ROUGE of one summariser at one length budget.
type SummarySystem struct {
	Name  string
	Words int   // budget in words
	Rouge Rouge // without stemming
	// Stemmed is the same with the light stemmer applied to both texts.
	Stemmed Rouge
	// MeanWords is the mean length of the system's summaries in words.
	MeanWords float64
}

// String formats the report as two small tables, without and with
// stemming.
func (r *SummaryReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "corpus %s: %d clusters, reference summary_lead\n", r.Corpus, r.Clusters)
	for _, stemmed := range []bool{false, true} {
		fmt.Fprintf(&b, "stemming %v\n", stemmed)
		fmt.Fprintf(&b, "%-22s %6s %6s %6s %6s %6s %6s %6s\n", "system", "R1-F", "R2-F", "RL-F", "R1-R", "R2-R", "RL-R", "words")
		for _, s := range r.Systems {
			x := s.Rouge
			if stemmed {
				x = s.Stemmed
			}
			fmt.Fprintf(&b, "%-22s %6.3f %6.3f %6.3f %6.3f %6.3f %6.3f %6.1f\n", s.Name, x.R1F, x.R2F, x.RLF, x.R1R, x.R2R, x.RLR, s.MeanWords)
		}
	}
	return b.String()
}

type summaryCluster struct {
	ID        string `json:"cluster_id"`
	Title     string `json:"title"`
	Lead      string `json:"summary_lead"`
	Documents []struct {
		URL      string `json:"url"`
		Title    string `json:"title"`
		Language string `json:"language"`
		Text     string `json:"text"`
	} `json:"documents"`
}

func readSummaries(path string) ([]summaryCluster, error) {
	var out []summaryCluster
	err := eachJSONLine(path, func(_ int, raw []byte) error {
		var c summaryCluster
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// EvalSummaries scores story summaries against the human summaries
// (summary_lead) of a WikinewsSum-style corpus. Each cluster's English
// documents are made into one story (clustering is not evaluated here) and
// summarised with the Engine's summariser at SummaryWords (default 60)
// words and at 40 words (the WCEP protocol); a lead baseline (the first
// sentences of the first document) and a TextRank baseline (Mihalcea &
// Tarau 2004, over all sentences) run beside it with the same budgets. IDF
// is learnt from all documents of the corpus first, as a stream that has
// run for a while would have. ROUGE is our own (see RougeScore), without
// and with stemming.
func EvalSummaries(ctx context.Context, corpusPath string, opts Options) (*SummaryReport, error) {
	clusters, err := readSummaries(corpusPath)
	if err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	background := New(opts)
	for _, c := range clusters {
		for _, d := range c.Documents {
			background.vectorize(d.Title, d.Text, true)
		}
	}
	budgets := []int{opts.SummaryWords, 40}
	type sys struct {
		name          string
		words, length int
		sum, stemmed  Rouge
	}
	var systems []*sys
	for _, name := range []string{"ours (coverage)", "lead", "textrank"} {
		for _, w := range budgets {
			systems = append(systems, &sys{name: fmt.Sprintf("%s-%d", name, w), words: w})
		}
	}
	rep := &SummaryReport{Corpus: corpusPath}
	for _, c := range clusters {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var docs []Doc
		for i, d := range c.Documents {
			if d.Language != "en" || strings.TrimSpace(d.Text) == "" {
				continue
			}
			docs = append(docs, Doc{ID: fmt.Sprintf("%s/%d", c.ID, i), Title: d.Title, Text: d.Text, URL: d.URL})
		}
		if len(docs) == 0 || strings.TrimSpace(c.Lead) == "" {
			continue
		}
		rep.Clusters++
		for i, s := range systems {
			o := opts
			o.SummaryWords = s.words
			e := New(o)
			e.df, e.frozenDF = background.df, true
			var text string
			switch i / len(budgets) {
			case 0:
				first := e.add(docs[0], "")
				for _, d := range docs[1:] {
					e.add(d, first.Story)
				}
				st, _ := e.Story(first.Story)
				text = st.Summary
			case 1:
				text = leadSummary(docs, s.words)
			case 2:
				text = e.textRank(docs, s.words)
			}
			s.sum.add(RougeScore(text, c.Lead, false))
			s.stemmed.add(RougeScore(text, c.Lead, true))
			s.length += len(strings.Fields(text))
		}
	}
	n := float64(max(rep.Clusters, 1))
	for _, s := range systems {
		rep.Systems = append(rep.Systems, SummarySystem{Name: s.name, Words: s.words,
			Rouge: s.sum.scale(1 / n), Stemmed: s.stemmed.scale(1 / n), MeanWords: float64(s.length) / n})
	}
	return rep, nil
}

// leadSummary is the baseline: whole leading sentences of the first
// document within the budget.
func leadSummary(docs []Doc, budget int) string {
	var out []string
	total := 0
	lead, _ := leadSentences(docs[0].Title, docs[0].Text, 1000)
	for _, s := range lead {
		n := len(strings.Fields(s))
		if total+n > budget {
			if total == 0 {
				continue
			}
			break
		}
		out = append(out, s)
		total += n
	}
	return strings.Join(out, " ")
}

// textRank is the baseline summariser: PageRank (d = 0.85) over the TF-IDF
// cosine graph of all sentences, highest-ranked whole sentences within the
// budget.
func (e *Engine) textRank(docs []Doc, budget int) string {
	type sent struct {
		text  string
		vec   vector
		words int
	}
	var ss []sent
	perDoc := make([][]string, len(docs))
	raw := make([]bool, len(docs))
	anyClean := false
	for i, d := range docs {
		perDoc[i], raw[i] = leadSentences(d.Title, d.Text, 1000)
		anyClean = anyClean || (len(perDoc[i]) > 0 && !raw[i])
	}
	for i, sents := range perDoc {
		if raw[i] && anyClean {
			continue // as summarise: raw sentences only when no article has clean ones
		}
		for _, s := range sents {
			v, n := e.vectorize("", s, false)
			if n > 0 {
				ss = append(ss, sent{s, v, len(strings.Fields(s))})
			}
		}
		if len(ss) > 600 {
			break
		}
	}
	n := len(ss)
	if n == 0 {
		return ""
	}
	w := make([][]float64, n)
	deg := make([]float64, n)
	for i := range ss {
		w[i] = make([]float64, n)
		for j := range ss {
			if i != j {
				w[i][j] = dot(ss[i].vec, ss[j].vec)
				deg[i] += w[i][j]
			}
		}
	}
	rank := make([]float64, n)
	for i := range rank {
		rank[i] = 1 / float64(n)
	}
	next := make([]float64, n)
	for range 40 {
		for j := range next {
			next[j] = 0.15 / float64(n)
		}
		for i := range ss {
			if deg[i] == 0 {
				continue
			}
			for j := range ss {
				next[j] += 0.85 * rank[i] * w[i][j] / deg[i]
			}
		}
		rank, next = next, rank
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(rank[b], rank[a]) })
	var out []string
	total := 0
	for _, i := range idx {
		if total+ss[i].words > budget || math.IsNaN(rank[i]) {
			continue
		}
		out = append(out, ss[i].text)
		total += ss[i].words
	}
	return strings.Join(out, " ")
}
