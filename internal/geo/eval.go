package geo

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Toponym is one place in the EUPEG scoring format: a surface string, its code-point span
// and a coordinate (HasCoord false when the annotators gave none).
type Toponym struct {
	Surface    string
	Start, End int
	Lat, Lon   float64
	HasCoord   bool
}

// Scores are the EUPEG metrics (Wang & Hu 2019).
type Scores struct {
	TP, FP, FN                    int
	Precision, Recall, F1         float64
	MeanKm, MedianKm, Acc161, AUC float64
	Matched                       int // matched toponyms, over which the distance metrics run
}

// ScoreEUPEG scores predicted toponyms against gold ones, document by document, with the
// rule of EUPEG's Utils.calculateScores: only toponyms with coordinates count; a gold
// toponym matches the first unused prediction whose span midpoint is less than 10
// characters from its own (and, when sameSurface, whose surface string is equal ignoring
// case); precision, recall and F1 over matches; error distances (haversine, R = 6371 km)
// over matched pairs: mean, median, share under 161 km, and the area under the curve of
// ln(1+d)/ln(20039) by the trapezoid rule.
func ScoreEUPEG(gold, pred [][]Toponym, sameSurface bool) Scores {
	var s Scores
	var errs []float64
	for d := range gold {
		var ps []Toponym
		if d < len(pred) {
			for _, t := range pred[d] {
				if t.HasCoord {
					ps = append(ps, t)
				}
			}
		}
		for _, g := range gold[d] {
			if !g.HasCoord {
				continue
			}
			mg := float64(g.Start+g.End) / 2
			found := -1
			for k, t := range ps {
				mp := float64(t.Start+t.End) / 2
				if math.Abs(mg-mp) < 10 && (!sameSurface || strings.EqualFold(g.Surface, t.Surface)) {
					found = k
					break
				}
			}
			if found < 0 {
				s.FN++
				continue
			}
			s.TP++
			t := ps[found]
			ps = slices.Delete(ps, found, found+1)
			errs = append(errs, haversine6371(t.Lat, t.Lon, g.Lat, g.Lon))
		}
		s.FP += len(ps)
	}
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
	if s.TP > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	slices.Sort(errs)
	n := len(errs)
	s.Matched = n
	if n == 0 {
		return s
	}
	if n%2 == 0 {
		s.MedianKm = (errs[n/2-1] + errs[n/2]) / 2
	} else {
		s.MedianKm = errs[n/2]
	}
	under := 0
	for _, e := range errs {
		s.MeanKm += e
		if e < 161 {
			under++
		}
	}
	s.MeanKm /= float64(n)
	s.Acc161 = float64(under) / float64(n)
	if n > 1 {
		f := func(x float64) float64 { return math.Log(1+x) / math.Log(20039) }
		sum := 0.5 * (f(errs[0]) + f(errs[n-1]))
		for _, e := range errs[1 : n-1] {
			sum += f(e)
		}
		s.AUC = sum / float64(n-1)
	}
	return s
}

func haversine6371(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Pow(math.Sin(dlat/2), 2) + math.Pow(math.Sin(dlon/2), 2)*math.Cos(lat1*rad)*math.Cos(lat2*rad)
	return 6371 * 2 * math.Asin(math.Sqrt(a))
}

// ReadEUPEG reads a gold or system-output file of the EUPEG platform: one line a document,
// toponyms separated by "||", fields by ",,": canonical name, surface, lat, lon, start, end.
func ReadEUPEG(path string) ([][]Toponym, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	docs := make([][]Toponym, len(lines))
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		for _, item := range strings.Split(line, "||") {
			if len(item) <= 1 {
				continue
			}
			f := strings.Split(item, ",,")
			if len(f) < 6 {
				return nil, fmt.Errorf("%s:%d: toponym %q has %d fields", path, i+1, item, len(f))
			}
			t := Toponym{Surface: f[1]}
			lat, err1 := strconv.ParseFloat(f[2], 64)
			lon, err2 := strconv.ParseFloat(f[3], 64)
			t.HasCoord = err1 == nil && err2 == nil
			t.Lat, t.Lon = lat, lon
			if t.Start, err = strconv.Atoi(strings.TrimSpace(f[4])); err != nil {
				return nil, fmt.Errorf("%s:%d: start: %w", path, i+1, err)
			}
			if t.End, err = strconv.Atoi(strings.TrimSpace(f[5])); err != nil {
				return nil, fmt.Errorf("%s:%d: end: %w", path, i+1, err)
			}
			docs[i] = append(docs[i], t)
		}
	}
	return docs, nil
}

// corpusDoc is one line of the common evaluation format (see the dev corpora's README).
type corpusDoc struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Toponyms []struct {
		Start int      `json:"start"`
		End   int      `json:"end"`
		Name  string   `json:"name"`
		Lat   *float64 `json:"lat"`
		Lon   *float64 `json:"lon"`
	} `json:"toponyms"`
	FocusCountry *string `json:"focus_country"`
	Source       string  `json:"source"`
}

func readCorpus(ctx context.Context, path string, each func(corpusDoc) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			var d corpusDoc
			if jerr := json.Unmarshal(line, &d); jerr != nil {
				return fmt.Errorf("%s:%d: %w", path, n, jerr)
			}
			if eerr := each(d); eerr != nil {
				return eerr
			}
		}
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
	}
}

// GeoReport is the EUPEG scoring of the parser on one corpus.
type GeoReport struct {
	Corpus  string // file name without extension ("lgl", "geovirus")
	Docs    int
	Gold    int    // gold toponyms with coordinates
	Scores         // EUPEG metrics (surfaces compared ignoring case)
	Loose   Scores // the same without the surface comparison (EUPEG's code as published)
	Bytes   int64
	Elapsed time.Duration // parsing time only
}

// EvalGeoparse parses every document of a corpus in the common format (title is not
// passed: the corpora's texts already hold it) and scores the places with ScoreEUPEG.
func EvalGeoparse(ctx context.Context, corpusPath string, p *Parser) (*GeoReport, error) {
	rep := &GeoReport{Corpus: corpusName(corpusPath)}
	var gold, pred [][]Toponym
	err := readCorpus(ctx, corpusPath, func(d corpusDoc) error {
		var gs []Toponym
		for _, t := range d.Toponyms {
			g := Toponym{Surface: t.Name, Start: t.Start, End: t.End}
			if t.Lat != nil && t.Lon != nil {
				g.Lat, g.Lon, g.HasCoord = *t.Lat, *t.Lon, true
				rep.Gold++
			}
			gs = append(gs, g)
		}
		start := time.Now()
		r := p.Parse("", d.Text, nil)
		rep.Elapsed += time.Since(start)
		rep.Bytes += int64(len(d.Text))
		var ps []Toponym
		for _, pl := range r.Places {
			ps = append(ps, Toponym{Surface: pl.Text, Start: pl.Start, End: pl.End, Lat: pl.Lat, Lon: pl.Lon, HasCoord: true})
		}
		gold = append(gold, gs)
		pred = append(pred, ps)
		rep.Docs++
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("geo: eval %s: %w", corpusPath, err)
	}
	rep.Scores = ScoreEUPEG(gold, pred, true)
	rep.Loose = ScoreEUPEG(gold, pred, false)
	return rep, nil
}

func corpusName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// String renders the report as a small table.
func (r *GeoReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "corpus %s: %d docs, %d gold toponyms with coordinates (EUPEG rule)\n", r.Corpus, r.Docs, r.Gold)
	fmt.Fprintf(&b, "%-8s %6s %6s %6s %6s %6s %6s %9s %9s %8s %6s\n", "rule", "TP", "FP", "FN", "P", "R", "F1", "mean km", "median km", "Acc@161", "AUC")
	row := func(name string, s Scores) {
		fmt.Fprintf(&b, "%-8s %6d %6d %6d %6.3f %6.3f %6.3f %9.0f %9.1f %8.3f %6.3f\n", name, s.TP, s.FP, s.FN,
			s.Precision, s.Recall, s.F1, s.MeanKm, s.MedianKm, s.Acc161, s.AUC)
	}
	row("surface", r.Scores)
	row("span", r.Loose)
	if r.Elapsed > 0 {
		fmt.Fprintf(&b, "parse: %.1f MB/s, %.0f docs/s\n", float64(r.Bytes)/1e6/r.Elapsed.Seconds(), float64(r.Docs)/r.Elapsed.Seconds())
	}
	return b.String()
}

// FocusReport scores document focus on a corpus with hand-coded focus countries.
type FocusReport struct {
	Corpus    string
	Docs      int               // documents
	WithFocus int               // documents with a hand-coded focus country (the denominator)
	Top1      int               // our top focus country is the hand-coded one
	InSet     int               // the hand-coded country is among our focus countries (CLIFF's rule)
	BySource  map[string][3]int // source -> {with focus, top1, in set}
}

// Top1Pct is the share of documents whose top focus country is right, in percent.
func (r *FocusReport) Top1Pct() float64 { return pct(r.Top1, r.WithFocus) }

// InSetPct is CLIFF's HandCodedFocusChecker rule, in percent.
func (r *FocusReport) InSetPct() float64 { return pct(r.InSet, r.WithFocus) }

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// EvalFocus scores the focus countries (see FocusCountries) against the hand-coded ones
// of a corpus in the focus format ({"id","source","text","focus_country"}); documents
// without a hand-coded country are not counted.
func EvalFocus(ctx context.Context, corpusPath string, p *Parser) (*FocusReport, error) {
	rep := &FocusReport{Corpus: corpusName(corpusPath), BySource: map[string][3]int{}}
	err := readCorpus(ctx, corpusPath, func(d corpusDoc) error {
		rep.Docs++
		if d.FocusCountry == nil || *d.FocusCountry == "" {
			return nil
		}
		want := strings.ToUpper(*d.FocusCountry)
		r := p.Parse(d.Title, d.Text, nil)
		got := FocusCountries(r.Focus)
		src := rep.BySource[d.Source]
		rep.WithFocus++
		src[0]++
		if len(got) > 0 && got[0] == want {
			rep.Top1++
			src[1]++
		}
		if slices.Contains(got, want) {
			rep.InSet++
			src[2]++
		}
		rep.BySource[d.Source] = src
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("geo: eval focus %s: %w", corpusPath, err)
	}
	return rep, nil
}

// String renders the report as a small table.
func (r *FocusReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "focus corpus %s: %d docs, %d with a hand-coded country\n", r.Corpus, r.Docs, r.WithFocus)
	fmt.Fprintf(&b, "%-10s %5s %8s %8s\n", "source", "docs", "top-1 %", "in-set %")
	srcs := make([]string, 0, len(r.BySource))
	for s := range r.BySource {
		srcs = append(srcs, s)
	}
	slices.Sort(srcs)
	for _, s := range srcs {
		v := r.BySource[s]
		fmt.Fprintf(&b, "%-10s %5d %8.1f %8.1f\n", s, v[0], pct(v[1], v[0]), pct(v[2], v[0]))
	}
	fmt.Fprintf(&b, "%-10s %5d %8.1f %8.1f\n", "all", r.WithFocus, r.Top1Pct(), r.InSetPct())
	return b.String()
}

// EvalCorpora evaluates every corpus named: a directory stands for the *.jsonl files under
// it; a file whose documents carry "focus_country" is scored with EvalFocus, any other
// with EvalGeoparse. Geoparse reports come first, in the order of DevCorpora, then by name;
// focus reports last. With the development folder (../shared/data/geoparse/dev) this is the
// whole of docs/evaluation.md.
func EvalCorpora(ctx context.Context, paths []string, p *Parser) ([]Report, error) {
	var files []string
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, path)
			continue
		}
		err = filepath.WalkDir(path, func(f string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(f, ".jsonl") {
				files = append(files, f)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	rank := func(f string) int {
		if i := slices.Index(DevCorpora, corpusName(f)); i >= 0 {
			return i
		}
		return len(DevCorpora)
	}
	slices.SortStableFunc(files, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(corpusName(a), corpusName(b))
	})
	var geo, focus []Report
	for _, f := range files {
		isFocus, err := isFocusCorpus(f)
		if err != nil {
			return nil, err
		}
		if isFocus {
			r, err := EvalFocus(ctx, f, p)
			if err != nil {
				return nil, err
			}
			focus = append(focus, r)
			continue
		}
		r, err := EvalGeoparse(ctx, f, p)
		if err != nil {
			return nil, err
		}
		geo = append(geo, r)
	}
	if len(geo)+len(focus) == 0 {
		return nil, fmt.Errorf("geo: no .jsonl corpus in %s", strings.Join(paths, ", "))
	}
	return append(geo, focus...), nil
}

// DevCorpora are the development corpora in the order docs/evaluation.md lists them.
var DevCorpora = []string{"lgl", "geovirus"}

// isFocusCorpus reports whether the first document of a corpus has a focus_country field.
func isFocusCorpus(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	line, err := r.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return false, fmt.Errorf("geo: %s: empty corpus", path)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(line, &doc); err != nil {
		return false, fmt.Errorf("geo: %s:1: %w", path, err)
	}
	_, ok := doc["focus_country"]
	return ok, nil
}

// Report is a *GeoReport or a *FocusReport.
type Report interface {
	String() string
	report()
}

func (*GeoReport) report()   {}
func (*FocusReport) report() {}

// anchors are the published figures the issue compares against (Wang & Hu 2019 with the
// EUPEG scorer; Mordecai 3 on its own LGL split) and our goals.
var anchors = map[string]struct {
	bestF1, bestAcc     float64
	bestF1By, bestAccBy string
	goalF1, goalAcc     float64
}{
	"lgl":      {0.713, 0.819, "DBpedia Spotlight", "Edinburgh Geoparser", 0.75, 0.85},
	"geovirus": {0.917, 0.807, "DM_NLP + population", "Edinburgh Geoparser", 0.92, 0.85},
}

// EvaluationMarkdown renders docs/evaluation.md: our figures next to the published anchors
// and the goals.
func EvaluationMarkdown(reports ...Report) string {
	var b strings.Builder
	b.WriteString("# Geoparser evaluation\n\n")
	b.WriteString("Generated by `vantage eval geoparse --corpus ../shared/data/geoparse/dev --doc docs/evaluation.md` ")
	b.WriteString("(package `internal/geo`, `EvalCorpora` and `EvaluationMarkdown`; the same as `GEO_WRITE_DOC=1 go test -run EvalRegression ./internal/geo/`). ")
	b.WriteString("Scoring rule: EUPEG (Wang & Hu 2019) — gold toponyms with coordinates only; a prediction matches when the span ")
	b.WriteString("midpoints are < 10 characters apart and the surfaces are equal ignoring case; distance metrics over matched ")
	b.WriteString("toponyms (AUC: ln(1+km)/ln(20039), trapezoid rule). The scorer reproduces the published EUPEG rows from ")
	b.WriteString("`eupeg-reference/` (see `TestScoreEUPEGReproducesPublished`).\n\n")
	var geo []*GeoReport
	var focus []*FocusReport
	for _, r := range reports {
		switch r := r.(type) {
		case *GeoReport:
			geo = append(geo, r)
		case *FocusReport:
			focus = append(focus, r)
		}
	}
	if len(geo) > 0 {
		b.WriteString("## Toponym recognition and resolution\n\n")
		b.WriteString("| corpus | docs | P | R | F1 | mean km | median km | Acc@161 | AUC | best published F1 | best published Acc@161 | goal |\n")
		b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n")
		for _, r := range geo {
			a, ok := anchors[strings.ToLower(r.Corpus)]
			pub1, pub2, goal := "—", "—", "—"
			if ok {
				pub1 = fmt.Sprintf("%.3f (%s)", a.bestF1, a.bestF1By)
				pub2 = fmt.Sprintf("%.3f (%s)", a.bestAcc, a.bestAccBy)
				goal = fmt.Sprintf("F1 ≥ %.2f, Acc@161 ≥ %.2f", a.goalF1, a.goalAcc)
			}
			s := r.Scores
			fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | **%.3f** | %.0f | %.1f | **%.3f** | %.3f | %s | %s | %s |\n",
				r.Corpus, r.Docs, s.Precision, s.Recall, s.F1, s.MeanKm, s.MedianKm, s.Acc161, s.AUC, pub1, pub2, goal)
		}
		b.WriteString("\nMordecai 3 reports Acc@161 = 0.827 on its own LGL split (not the EUPEG rule).\n\n")
	}
	if len(focus) > 0 {
		b.WriteString("## Document focus\n\n")
		b.WriteString("| corpus | docs with a hand-coded country | top focus country correct | hand-coded country among our focus countries (CLIFF rule) | goal |\n")
		b.WriteString("|---|---:|---:|---:|---|\n")
		for _, r := range focus {
			fmt.Fprintf(&b, "| %s | %d | **%.1f %%** | %.1f %% | ≥ 90 %% |\n", r.Corpus, r.WithFocus, r.Top1Pct(), r.InSetPct())
		}
		b.WriteString("\nFocus countries are those weighing at least half the top country (`geo.FocusCountries`).\n")
	}
	return b.String()
}
