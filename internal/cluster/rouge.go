package cluster

// ROUGE (Lin 2004), our own implementation: texts are lower-cased and split
// into runs of letters and digits (words()); with stemming, the light
// stemmer of the clusterer is applied. No stop-words are removed. ROUGE-L is
// the summary-level LCS of the whole token sequences (not the union-LCS of
// sentence pairs).

// Rouge holds F1 and recall of one summary against one reference.
type Rouge struct {
	R1F, R2F, RLF float64
	R1R, R2R, RLR float64
}

func (r *Rouge) add(x Rouge) {
	r.R1F += x.R1F
	r.R2F += x.R2F
	r.RLF += x.RLF
	r.R1R += x.R1R
	r.R2R += x.R2R
	r.RLR += x.RLR
}

func (r Rouge) scale(f float64) Rouge {
	return Rouge{r.R1F * f, r.R2F * f, r.RLF * f, r.R1R * f, r.R2R * f, r.RLR * f}
}

func rougeTokens(s string, stemmed bool) []string {
	ws := words(s)
	if stemmed {
		for i, w := range ws {
			ws[i] = stem(w)
		}
	}
	return ws
}

// RougeScore scores summary against reference.
func RougeScore(summary, reference string, stemmed bool) Rouge {
	s, r := rougeTokens(summary, stemmed), rougeTokens(reference, stemmed)
	var out Rouge
	out.R1F, out.R1R = ngramOverlap(s, r, 1)
	out.R2F, out.R2R = ngramOverlap(s, r, 2)
	l := float64(lcs(s, r))
	if l > 0 {
		p, rec := l/float64(len(s)), l/float64(len(r))
		out.RLF, out.RLR = 2*p*rec/(p+rec), rec
	}
	return out
}

func ngramOverlap(s, r []string, n int) (f, recall float64) {
	count := func(ws []string) map[string]int {
		m := map[string]int{}
		for i := 0; i+n <= len(ws); i++ {
			key := ws[i]
			for _, w := range ws[i+1 : i+n] {
				key += "\x00" + w
			}
			m[key]++
		}
		return m
	}
	sc, rc := count(s), count(r)
	var hit, ns, nr int
	for _, c := range sc {
		ns += c
	}
	for k, c := range rc {
		nr += c
		hit += min(c, sc[k])
	}
	if hit == 0 {
		return 0, 0
	}
	p, rec := float64(hit)/float64(ns), float64(hit)/float64(nr)
	return 2 * p * rec / (p + rec), rec
}

func lcs(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
