package entities

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// GUM evaluation.
//
// Gold data: the GUM news documents (dep/GUM_news_*.conllu). Each document's
// text is rebuilt from its tokens (a space unless SpaceAfter=No, sentences of a
// paragraph joined by a space, paragraphs by a blank line); the first sentence,
// the headline, becomes the title and is not scored. Offsets are then exact by
// construction, which is why we score this text rather than the wikinews.jsonl
// copy of the same 24 articles.
//
// Type mapping: GUM "person" -> PER, "organization" -> ORG; every other GUM
// type (place, event, object, abstract, time, substance, animal, plant) is
// ignored, and our mentions that overlap such gold are simply scored as PER/ORG
// predictions (false positives when wrong).
//
// Named mentions only: GUM annotates every mention, nested and nominal ("the
// team", "he"). A gold mention counts when its syntactic head (the token whose
// dependency head lies outside the mention) is a proper noun (UPOS PROPN), and
// its scored span is the name inside it:
//   - PER: the head plus its flat (name) dependents, so "U.S. President Donald
//     Trump's" scores as "Donald Trump" and "President Trump" as "Trump".
//     Plural groups (head NNPS: "Muslims", "Rohingya") and bare titles ("the
//     Secretary of State") are not names of a person and are left out.
//   - ORG: the run of proper nouns around the head, with inner connectors (of,
//     on, for, and, the, &, hyphen) between proper nouns, so "the Irving Police
//     Department" scores as "Irving Police Department" and "Saudi Arabia's
//     Civil Defense Authority" as "Civil Defense Authority".
//
// On our side, nominal mentions ("the council" resolved to a named council)
// start with a lower-case letter and are not scored, as gold has no nominals.
// A match is the exact span and type.

// Score counts one type's matches.
type Score struct{ TP, FP, FN int }

// Precision is TP/(TP+FP).
func (s Score) Precision() float64 { return ratio(s.TP, s.TP+s.FP) }

// Recall is TP/(TP+FN).
func (s Score) Recall() float64 { return ratio(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Report is the outcome of an evaluation.
type Report struct {
	Docs      int
	Gold      int
	Types     map[string]*Score // PER, ORG
	FalsePos  map[string]int    // "TYPE text" -> count
	FalseNeg  map[string]int
	WrongType int // spans found with the other type
}

// Overall sums the types.
func (r *Report) Overall() Score {
	var s Score
	for _, t := range r.Types {
		s.TP += t.TP
		s.FP += t.FP
		s.FN += t.FN
	}
	return s
}

// String prints the per-type table and the most frequent errors.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GUM news: %d documents, %d gold named mentions (exact span and type)\n", r.Docs, r.Gold)
	fmt.Fprintf(&b, "%-5s %5s %5s %5s %6s %6s %6s\n", "type", "tp", "fp", "fn", "P", "R", "F1")
	row := func(name string, s Score) {
		fmt.Fprintf(&b, "%-5s %5d %5d %5d %6.3f %6.3f %6.3f\n", name, s.TP, s.FP, s.FN, s.Precision(), s.Recall(), s.F1())
	}
	for _, t := range []string{Person, Organisation} {
		if s, ok := r.Types[t]; ok {
			row(t, *s)
		}
	}
	row("all", r.Overall())
	fmt.Fprintf(&b, "spans found with the wrong type: %d\n", r.WrongType)
	top := func(title string, m map[string]int) {
		type kv struct {
			k string
			v int
		}
		var l []kv
		for k, v := range m {
			l = append(l, kv{k, v})
		}
		slices.SortFunc(l, func(a, b kv) int {
			if a.v != b.v {
				return b.v - a.v
			}
			return strings.Compare(a.k, b.k)
		})
		fmt.Fprintf(&b, "%s:", title)
		for i, e := range l {
			if i == 15 {
				break
			}
			fmt.Fprintf(&b, " %s ×%d;", e.k, e.v)
		}
		b.WriteString("\n")
	}
	top("top false positives", r.FalsePos)
	top("top false negatives", r.FalseNeg)
	return b.String()
}

// EvalGUM scores x on the GUM news .conllu files in dir (see the comment above
// for the gold rules).
func EvalGUM(ctx context.Context, dir string, x *Extractor) (*Report, error) {
	files, err := filepath.Glob(filepath.Join(dir, "GUM_news_*.conllu"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("entities: no GUM_news_*.conllu in %s", dir)
	}
	rep := &Report{
		Types:    map[string]*Score{Person: {}, Organisation: {}},
		FalsePos: map[string]int{},
		FalseNeg: map[string]int{},
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		gd, err := readGUM(f, x.isTitleOrCountry)
		if err != nil {
			return nil, err
		}
		rep.Docs++
		rep.Gold += len(gd.gold)
		type key struct{ s, e int }
		gold := map[key]string{}
		for _, g := range gd.gold {
			gold[key{g.Start, g.End}] = g.Type
		}
		pred := map[key]string{}
		for _, e := range x.Extract(gd.title, gd.text) {
			if r, _ := utf8.DecodeRuneInString(e.Text); r >= 'a' && r <= 'z' {
				continue // nominal coreference, not a named mention
			}
			pred[key{e.Start, e.End}] = e.Type
		}
		runes := []rune(gd.text)
		for k, t := range pred {
			if gold[k] == t {
				rep.Types[t].TP++
				continue
			}
			rep.Types[t].FP++
			if gold[k] != "" {
				rep.WrongType++
			}
			rep.FalsePos[t+" "+string(runes[k.s:k.e])]++
		}
		for k, t := range gold {
			if pred[k] != t {
				rep.Types[t].FN++
				rep.FalseNeg[t+" "+string(runes[k.s:k.e])]++
			}
		}
	}
	return rep, nil
}

type gumDoc struct {
	title, text string
	gold        []goldSpan
}

type goldSpan struct {
	Start, End int
	Type       string
}

type gumTok struct {
	form, upos, xpos, deprel string
	head                     int // 1-based in sentence, 0 root
	start, end               int // code points in the document text
	misc                     string
}

// readGUM rebuilds a GUM document's text and its named PER/ORG gold spans.
func readGUM(path string, stripTitle func(string) bool) (*gumDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sents [][]gumTok
	var newpar []bool
	var cur []gumTok
	par := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur != nil {
				sents = append(sents, cur)
				newpar = append(newpar, par)
				cur, par = nil, false
			}
			continue
		case line == "# newpar" || strings.HasPrefix(line, "# newpar "):
			par = true
			continue
		case strings.HasPrefix(line, "#"):
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) < 10 || strings.ContainsAny(c[0], "-.") {
			continue
		}
		h, _ := strconv.Atoi(c[6])
		cur = append(cur, gumTok{form: c[1], upos: c[3], xpos: c[4], head: h, deprel: c[7], misc: c[9]})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		sents = append(sents, cur)
		newpar = append(newpar, par)
	}
	d := &gumDoc{}
	var b strings.Builder
	cp := 0
	for si, s := range sents {
		if si == 0 {
			var t strings.Builder
			for _, tk := range s {
				t.WriteString(tk.form)
				if !strings.Contains(tk.misc, "SpaceAfter=No") {
					t.WriteByte(' ')
				}
			}
			d.title = strings.TrimSpace(t.String())
			continue
		}
		if si > 1 {
			if newpar[si] {
				b.WriteString("\n\n")
				cp += 2
			} else {
				b.WriteByte(' ')
				cp++
			}
		}
		for i := range s {
			s[i].start = cp
			b.WriteString(s[i].form)
			cp += utf8.RuneCountInString(s[i].form)
			s[i].end = cp
			if i < len(s)-1 && !strings.Contains(s[i].misc, "SpaceAfter=No") {
				b.WriteByte(' ')
				cp++
			}
		}
		d.gold = append(d.gold, goldOf(s, stripTitle)...)
	}
	d.text = b.String()
	slices.SortFunc(d.gold, func(a, b goldSpan) int { return a.Start - b.Start })
	d.gold = slices.Compact(d.gold)
	return d, nil
}

// goldOf returns the named PER/ORG gold spans of one sentence.
func goldOf(s []gumTok, stripTitle func(string) bool) []goldSpan {
	type open struct {
		id, typ string
		start   int
	}
	var stack []open
	var out []goldSpan
	closeMention := func(o open, end int) {
		var typ string
		switch o.typ {
		case "person":
			typ = Person
		case "organization":
			typ = Organisation
		default:
			return
		}
		head := -1
		for k := o.start; k <= end; k++ {
			if h := s[k].head - 1; h < o.start || h > end {
				head = k
				break
			}
		}
		if head < 0 {
			return
		}
		proper := func(k int) bool { return s[k].xpos == "NNP" || s[k].xpos == "NNPS" }
		anchor := -1
		if s[head].upos == "PROPN" {
			anchor = head
		} else {
			// "author Truman Capote": a name attached to a common-noun head.
			for k := o.start; k <= end; k++ {
				if proper(k) && s[k].head-1 == head && (strings.HasPrefix(s[k].deprel, "flat") || s[k].deprel == "appos") {
					anchor = k
					break
				}
			}
		}
		if anchor < 0 || typ == Person && s[anchor].xpos == "NNPS" {
			return
		}
		conn := func(k int) bool {
			w := strings.ToLower(s[k].form)
			return w == "-" || typ == Organisation && isOrgConnector(w)
		}
		a, z := anchor, anchor
		for a > o.start && (proper(a-1) || conn(a-1) && a-2 >= o.start && proper(a-2)) {
			a--
		}
		for z < end && (proper(z+1) || conn(z+1) && z+2 <= end && (proper(z+2) || conn(z+2) && z+3 <= end && proper(z+3))) {
			z++
		}
		for a < z && (conn(a) || strings.EqualFold(s[a].form, "the")) {
			a++
		}
		for z > a && conn(z) {
			z--
		}
		if typ == Person {
			// CoNLL convention: titles, honorifics and country words are not
			// part of a person's name.
			for a <= z && stripTitle(s[a].form) {
				a++
			}
			if a > z {
				return
			}
		}
		out = append(out, goldSpan{Start: s[a].start, End: s[z].end, Type: typ})
	}
	for i, t := range s {
		v := ""
		for f := range strings.SplitSeq(t.misc, "|") {
			if after, ok := strings.CutPrefix(f, "Entity="); ok {
				v = after
			}
		}
		for v != "" {
			if v[0] == '(' {
				j := 1
				for j < len(v) && v[j] != '(' && v[j] != ')' {
					j++
				}
				parts := strings.SplitN(v[1:j], "-", 3)
				o := open{id: parts[0], start: i}
				if len(parts) > 1 {
					o.typ = parts[1]
				}
				if j < len(v) && v[j] == ')' {
					closeMention(o, i)
					j++
				} else {
					stack = append(stack, o)
				}
				v = v[j:]
				continue
			}
			j := strings.IndexByte(v, ')')
			if j < 0 {
				break
			}
			id := v[:j]
			v = v[j+1:]
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k].id == id {
					closeMention(stack[k], i)
					stack = append(stack[:k], stack[k+1:]...)
					break
				}
			}
		}
	}
	return out
}

// isTitleOrCountry reports whether w is a title, honorific, country name or
// demonym ("President", "Dr", "US", "Iraqi"), none of which belongs to a
// person's name in CoNLL-style annotation.
func (x *Extractor) isTitleOrCountry(w string) bool {
	l := strings.ToLower(strings.TrimSuffix(w, "."))
	if x.roles[l] || x.roleModsSet[l] || x.hon[l] || l == "the" || l == "of" || l == "state" {
		return true
	}
	if x.g == nil {
		return false
	}
	d := doc{x: x, places: map[string]placeInfo{}}
	return d.isCountryName(w, d.placeOf(w).iso)
}

// isOrgConnector reports whether w (lower case) may join the proper nouns of an
// organisation name.
func isOrgConnector(w string) bool {
	switch w {
	case "of", "on", "for", "and", "the", "&", "-", "de":
		return true
	}
	return false
}
