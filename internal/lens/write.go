package lens

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/gazetteer"
)

// Lens is what a story means for a reader's place, in words and evidence.
type Lens struct {
	StoryID string   `json:"story_id"`
	Place   string   `json:"place"`
	Tier    Tier     `json:"tier"`
	Also    []Tier   `json:"also,omitempty"`
	Score   float64  `json:"score"`
	Km      *float64 `json:"km,omitempty"` // to the nearest point of the focus geometry
	// Text is the lens: 1–3 sentences. Sentences carry the indices of the
	// evidence each one rests on.
	Text      string     `json:"text"`
	Sentences []Sentence `json:"sentences"`
	Evidence  []Evidence `json:"evidence"`
	Interests []string   `json:"interests,omitempty"` // the reader's topics this story carries
	Writer    string     `json:"writer"`              // "deterministic", or the model that polished Text
}

// Sentence is one sentence of a lens and the evidence behind it.
type Sentence struct {
	Text     string `json:"text"`
	Evidence []int  `json:"evidence"` // indices into Lens.Evidence
}

// Writer turns a deterministic lens into better prose. Implementations must
// only rephrase: polish checks the result against the evidence.
type Writer interface {
	Polish(ctx context.Context, l Lens) (string, error)
	Name() string
}

// deterministic writes lenses from evidence with templates, rotating the
// phrasing across one briefing so consecutive lenses do not read alike.
type deterministic struct {
	used map[string]int
}

// pick rotates through the n phrasings of a kind of sentence, so a
// briefing never repeats one phrasing back to back; a lone lens starts at the
// phrasing its story ID hashes to.
func (d *deterministic) pick(kind, storyID string, n int) int {
	if _, ok := d.used[kind]; !ok {
		h := fnv.New32a()
		h.Write([]byte(storyID))
		d.used[kind] = int(h.Sum32() % uint32(n))
	}
	i := d.used[kind] % n
	d.used[kind]++
	return i
}

var topicLabels = map[string]string{
	"politics": "politics", "policy-and-legislation": "policy", "general-news": "general news",
	"diplomacy": "diplomacy", "elections": "elections", "economy-business-finance": "the economy",
	"conflict-war-peace": "conflict and security", "crime-law-justice": "crime and justice",
	"disaster-accident": "disasters", "science-technology": "science and technology",
	"arts-culture-entertainment": "culture", "lifestyle-leisure": "lifestyle", "human-interest": "human interest",
}

func topicLabel(slug string) string {
	if l, ok := topicLabels[slug]; ok {
		return l
	}
	return strings.ReplaceAll(slug, "-", " ")
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	case 2:
		return xs[0] + " and " + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func (d *deterministic) write(g *gazetteer.Gazetteer, r *Reader, st *article.Story, rel Relation, interests []string, score float64) Lens {
	l := Lens{StoryID: st.ID, Place: r.Label, Tier: rel.Tier, Also: rel.Also, Score: round3(score), Evidence: rel.Evidence, Writer: "deterministic"}
	if l.Evidence == nil {
		l.Evidence = []Evidence{}
	}
	if rel.Km >= 0 {
		km := rel.Km
		l.Km = &km
	}
	_, l.Interests = topicMatch(st.Topics, interests)
	name := func(iso string) string { return countryName(g, iso) }
	country := r.Label
	if c := r.Country(); c != "" {
		country = name(c)
	}
	idx := func(kind string) []int {
		var out []int
		for i, e := range l.Evidence {
			if e.Kind == kind {
				out = append(out, i)
			}
		}
		return out
	}
	focusNames := make([]string, len(rel.focus))
	for i, c := range rel.focus {
		focusNames[i] = name(c)
	}
	frame := ""
	if len(l.Interests) > 0 {
		labels := []string{}
		for _, s := range l.Interests {
			if lb := topicLabel(s); !slices.Contains(labels, lb) {
				labels = append(labels, lb)
			}
		}
		frame = "In " + joinAnd(labels) + ": "
	}
	var sents []Sentence
	add := func(text string, ev []int) {
		if text == "" {
			return
		}
		if len(sents) == 0 && frame != "" {
			text = frame + text
		} else {
			text = strings.ToUpper(text[:1]) + text[1:]
		}
		sents = append(sents, Sentence{Text: text, Evidence: ev})
	}
	passing := idx("mention")
	passingNote := ""
	if len(passing) > 0 {
		if e := l.Evidence[passing[0]]; e.Count > 2 && e.Weight >= 0.05 {
			passingNote = fmt.Sprintf(" and is named but not at its centre (%.0f%% of the place weight)", 100*e.Weight)
		} else {
			passingNote = fmt.Sprintf(" and is named only in passing (%.0f%% of the place weight)", 100*e.Weight)
		}
	}
	dist := idx("distance")
	kmText := ""
	if len(dist) > 0 {
		kmText = thousands(roundKm(rel.Km)) + " km"
	}
	usedDist := false
	switch rel.Tier {
	case Here:
		ev := idx("focus")
		var detail string
		for _, i := range ev {
			if len(l.Evidence[i].Places) > 0 {
				detail = l.Evidence[i].Text
				break
			}
		}
		if detail == "" && len(ev) > 0 {
			detail = l.Evidence[ev[0]].Text
		}
		switch d.pick("here", st.ID, 2) {
		case 0:
			add(fmt.Sprintf("this story is about %s itself: %s.", r.Label, detail), ev)
		default:
			add(fmt.Sprintf("%s is where this happens: %s.", r.Label, detail), ev)
		}
	case National:
		ev := idx("focus")
		var detail string
		for _, i := range ev {
			if slices.Contains(l.Evidence[i].Countries, r.Country()) {
				detail = l.Evidence[i].Text
			}
		}
		if len(r.Countries) > 1 {
			for _, i := range ev {
				if len(l.Evidence[i].Places) > 0 {
					detail = l.Evidence[i].Text
				}
			}
			add(fmt.Sprintf("the story is within %s's countries but not about the region as such: %s.", r.Label, detail), ev)
			break
		}
		switch d.pick("national", st.ID, 2) {
		case 0:
			add(fmt.Sprintf("this story is in %s, away from %s: %s.", country, r.Label, detail), ev)
		default:
			add(fmt.Sprintf("the story is elsewhere in %s: %s.", country, detail), ev)
		}
	case Party:
		ev := idx("party")
		var facts []string
		for _, i := range ev {
			facts = append(facts, l.Evidence[i].Text)
		}
		about := ""
		if len(focusNames) > 0 {
			about = " about " + joinAnd(focusNames)
		}
		acts := false
		for _, i := range ev {
			acts = acts || l.Evidence[i].Entity != ""
		}
		switch {
		case !acts:
			add(fmt.Sprintf("%s figures prominently in this story%s without being its focus: %s.", country, about, joinAnd(facts)), ev)
		case d.pick("party", st.ID, 2) == 0:
			add(fmt.Sprintf("%s takes part in this story%s: %s.", country, about, joinAnd(facts)), ev)
		default:
			add(fmt.Sprintf("%s is a party here even though the focus is elsewhere%s: %s.", country, strings.Replace(about, " about", ", on", 1), joinAnd(facts)), ev)
		}
	case Neighbour:
		ev := idx("border")
		var parts []string
		for _, i := range ev {
			e := l.Evidence[i]
			p := name(e.Countries[1])
			if e.Km > 0 {
				p += fmt.Sprintf(" (%s km of border)", thousands(int64(e.Km+0.5)))
			}
			parts = append(parts, p)
		}
		both := ""
		if len(parts) == 2 {
			both = "both "
		}
		ev = append(ev, passing...)
		switch d.pick("neighbour", st.ID, 3) {
		case 0:
			add(fmt.Sprintf("%s is not a party to this story%s, but it borders %s%s.", country, passingNote, both, joinAnd(parts)), ev)
		case 1:
			add(fmt.Sprintf("as a land neighbour of %s%s, %s is close to this story without being part of it%s.", both, joinAnd(parts), country, passingNote), ev)
		default:
			add(fmt.Sprintf("%s borders %s%s, though it does not act in this story%s.", country, both, joinAnd(parts), passingNote), ev)
		}
	case Nearby:
		usedDist = true
		switch d.pick("nearby", st.ID, 2) {
		case 0:
			add(fmt.Sprintf("%s is not a party%s, but %s is only about %s from %s.", country, passingNote, r.Label, kmText, rel.geomTxt), append(dist, passing...))
		default:
			add(fmt.Sprintf("%s lies about %s from %s, close enough to matter although %s does not act in the story.", r.Label, kmText, rel.geomTxt, country), dist)
		}
	case Regional, Tied:
		kind := "region"
		if rel.Tier == Tied {
			kind = "bloc"
			if len(idx("bloc")) == 0 {
				kind = "co-mention"
			}
		}
		ev := idx(kind)
		var facts []string
		for _, i := range ev[:min(len(ev), 2)] {
			facts = append(facts, l.Evidence[i].Text)
		}
		switch d.pick("regional", st.ID, 2) {
		case 0:
			add(fmt.Sprintf("%s is not a party to this story%s; the link is regional: %s.", country, passingNote, joinAnd(facts)), append(ev[:min(len(ev), 2)], passing...))
		default:
			add(fmt.Sprintf("the connection to %s is indirect: %s.", country, joinAnd(facts)), ev[:min(len(ev), 2)])
		}
	case Distant:
		usedDist = true
		var why []string
		ev := []int{}
		if len(passing) == 0 {
			why = append(why, fmt.Sprintf("%s is not named", country))
		} else {
			why = append(why, strings.TrimPrefix(passingNote, " and "))
			why[len(why)-1] = country + " " + why[len(why)-1]
			ev = append(ev, passing...)
		}
		if len(focusNames) > 0 {
			why = append(why, fmt.Sprintf("it shares no border with %s", joinAnd(focusNames)))
		}
		if kmText != "" {
			why = append(why, fmt.Sprintf("%s is about %s from %s", r.Label, kmText, rel.geomTxt))
			ev = append(ev, dist...)
		}
		ev = append(ev, idx("focus")...)
		add(fmt.Sprintf("largely unaffected: %s.", joinAnd(why)), ev)
	}
	// second sentence: the distance, when it says something the first did not
	if !usedDist && len(dist) > 0 && rel.Tier != Here && rel.Tier != National {
		far := "so the ground in question is far from " + r.Label
		if rel.Km <= 500 {
			far = "close enough to feel direct effects"
		}
		if rel.border != [2]string{} {
			far = strings.Replace(far, "the ground", "the border", 1)
		}
		switch d.pick("distance", st.ID, 3) {
		case 0:
			add(fmt.Sprintf("%s is about %s from %s, %s.", r.Label, kmText, rel.geomTxt, far), dist)
		case 1:
			add(fmt.Sprintf("Measured from %s, %s is about %s away, %s.", r.Label, rel.geomTxt, kmText, far), dist)
		default:
			add(fmt.Sprintf("%s lies about %s from %s, %s.", r.Label, kmText, rel.geomTxt, far), dist)
		}
	}
	// third sentence: who acts, or the other ties
	if rel.Tier != Distant {
		if actors := idx("actor"); len(actors) > 0 && rel.Tier != Party {
			var who []string
			for _, i := range actors[:min(len(actors), 4)] {
				who = append(who, l.Evidence[i].Text)
			}
			add("Acting in it: "+joinAnd(who)+".", actors[:min(len(actors), 4)])
		} else if more := append(idx("region"), idx("bloc")...); len(more) > 0 && rel.Tier != Regional && rel.Tier != Tied {
			add("Also: "+l.Evidence[more[0]].Text+".", more[:1])
		}
	}
	if len(sents) > 3 {
		sents = sents[:3]
	}
	l.Sentences = sents
	texts := make([]string, len(sents))
	for i, s := range sents {
		texts[i] = s.Text
	}
	l.Text = strings.Join(texts, " ")
	return l
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }
