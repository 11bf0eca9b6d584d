package topics

import (
	"math"
	"slices"
	"strings"
)

// Keyword priors score the slugs the labelled sets do not cover (the
// level-2 slugs and four level-1 slugs). Phrases are matched on lightly
// stemmed tokens (see stem); each match adds the phrase weight (times
// titleWeight in the title; one phrase counts at most priorMaxRepeats
// times). The evidence E is divided by 1+tokens/priorLengthNorm and turned
// into a score 1-exp(-E'/priorSoftness). Curated phrases weigh 1; the labels
// of the slug's IPTC descendants, read from iptc_mediatopics.jsonl at
// training time, weigh iptcPhraseWeight (weak supervision from IPTC).
const (
	priorMaxRepeats  = 3
	priorLengthNorm  = 300
	priorSoftness    = 1.5
	iptcPhraseWeight = 0.5
	// priorMinCues: a prior slug scores 0 unless at least this many
	// different phrases match. One word is too often another sense: an
	// earthquake "strikes", the "Soviet Union", "rescue workers", a
	// "border" crossing.
	priorMinCues = 2
)

// priorSlugs are the slugs scored by keyword priors, with the IPTC concepts
// whose descendants' labels add phrases.
var priorSlugs = []struct {
	slug  string
	roots []string
}{
	{"conflict-war-peace", []string{"medtop:16000000"}},
	{"disaster-accident", []string{"medtop:03000000"}},
	{"labour", []string{"medtop:09000000"}},
	{"weather", []string{"medtop:17000000"}},
	{"policy-and-legislation", []string{"medtop:20000621", "medtop:20000121", "medtop:20000615"}},
	{"elections", []string{"medtop:20000574"}},
	{"diplomacy", []string{"medtop:20000638"}},
	// politics has a trained head; its cues only corroborate it (see
	// politicsCueGate) and are never a score of their own.
	{"politics", nil},
}

// curatedPhrases are hand-written cues per prior slug, "|"-separated.
var curatedPhrases = map[string]string{
	"conflict-war-peace": "war|wars|warfare|military|troops|soldier|army|armed forces|airstrike|air strike|" +
		"bombing|suicide bomber|suicide bombing|insurgent|insurgency|militant|militia|rebel|guerrilla|ceasefire|" +
		"cease-fire|truce|invasion|invaded|missile|shelling|artillery|gunmen|terrorist|terrorism|terror attack|" +
		"hostage|peacekeeper|peace talks|peace deal|peace process|occupation|coup|uprising|protesters|riot|" +
		"clashes|killed in fighting|fighting|offensive|drone strike|nato|taliban|al-qaeda|isis|hamas|hezbollah",
	"disaster-accident": "earthquake|quake|tsunami|flood|flooding|hurricane|typhoon|cyclone|tornado|wildfire|" +
		"bushfire|landslide|mudslide|avalanche|volcano|eruption|drought|famine|disaster|crash|plane crash|" +
		"derail|derailment|collision|explosion|blast|fire broke out|blaze|firefighters|rescue|rescuers|" +
		"death toll|survivors|evacuated|evacuation|emergency services|capsized|sank|shipwreck|accident|injured",
	"labour": "strike|strikes|striking workers|walkout|union|unions|trade union|labor union|workers|employees|" +
		"wage|wages|minimum wage|pay rise|pay dispute|layoff|layoffs|laid off|job cuts|redundancies|" +
		"unemployment|jobless|employment|labour market|labor market|pension|pensions|retirement age|workforce",
	"weather": "weather|forecast|forecasters|rain|rainfall|snow|snowfall|storm|storms|heatwave|heat wave|" +
		"temperatures|temperature|degrees celsius|frost|fog|wind|winds|gale|thunderstorm|meteorological|" +
		"met office|national weather service|weather warning|hail|blizzard",
	"policy-and-legislation": "policy|policies|law|laws|legislation|legislative|bill|act|regulation|regulations|" +
		"regulator|rules|ban|reform|reforms|parliament|congress|senate|lawmakers|legislators|mps|vote on|" +
		"passed|amendment|constitution|constitutional|decree|executive order|treaty|agreement|accord|pact|" +
		"deal|framework|budget|tax|taxes|subsidy|sanctions|ministry|minister|government plans|white paper|" +
		"supreme court|ruling|court ruled|signed|ratified|ratify|cooperation agreement",
	"elections": "election|elections|electoral|vote|votes|voters|voting|ballot|ballots|polls|polling|" +
		"opinion poll|candidate|candidates|campaign|campaigning|primary|primaries|referendum|runoff|re-election|" +
		"reelection|general election|by-election|midterm|midterms|turnout|constituency|landslide victory|" +
		"elected|nominee|nomination|incumbent|electoral college|swing state",
	"diplomacy": "diplomacy|diplomatic|diplomat|diplomats|ambassador|embassy|envoy|foreign minister|" +
		"foreign ministry|foreign secretary|secretary of state|foreign policy|bilateral|multilateral|summit|" +
		"talks|treaty|relations|ties|sanctions|united nations|un security council|security council|nato|" +
		"european union|state visit|visit to|counterpart|negotiations|negotiators|sovereignty|border|" +
		"international community|alliance|allies|un general assembly",
	"politics": "politics|political|politician|politicians|government|governments|minister|ministers|" +
		"prime minister|president|presidency|presidential|parliament|parliamentary|congress|senate|senator|" +
		"lawmakers|legislators|legislature|mps|cabinet|party|parties|opposition|coalition|election|elections|" +
		"vote|voters|referendum|campaign|policy|chancellor|premier|governor|mayor|regime|coup|junta|" +
		"resign|resigned|resignation|impeachment|impeached|democrat|democrats|republican|republicans|" +
		"conservative|conservatives|liberal|liberals|white house|downing street|kremlin|state department|" +
		"foreign minister|diplomatic|sanctions|treaty|legislation|bill|constitution|constitutional|" +
		"martial law|sworn in|inauguration|dictator|protesters|administration|ruling|authorities",
}

// ambiguousCues are phrases, per prior slug, that are too often another
// sense to stand on their own: they add evidence, but a slug needs at least
// one other cue too (priorMinCues counts them, the one strong cue does not).
// An earthquake or a missile "strikes", the "Soviet Union", "rescue workers",
// "across the border", "temperatures near freezing". Applied when the
// phrases are compiled, so the stored phrase list is unchanged.
var ambiguousCues = map[string]string{
	"labour":    "strike|strikes|union|unions|workers|employees|workforce|employment",
	"diplomacy": "border|relations|ties|talks|summit|allies|alliance|sovereignty",
	"weather":   "temperature|temperatures|wind|winds|rain",
}

// priorGate says how a prior slug's keyword score is combined with the
// trained scores: score = keyword score × gate.
//   - elections: × politics
//   - policy-and-legislation: × max(politics, crime-law-justice)
//   - diplomacy: × max(politics, conflict-war-peace)
//   - conflict-war-peace, disaster-accident, labour, weather:
//     × (1 − 0.8·max(sport, arts-culture-entertainment, lifestyle-leisure))
func priorGate(slug string, s map[string]float64) float64 {
	switch slug {
	case "elections":
		return s["politics"]
	case "policy-and-legislation":
		return max(s["politics"], s["crime-law-justice"])
	case "diplomacy":
		return max(s["politics"], s["conflict-war-peace"])
	default:
		return 1 - 0.8*max(s["sport"], s["arts-culture-entertainment"], s["lifestyle-leisure"])
	}
}

// stem folds common English inflections for phrase matching.
func stem(t string) string {
	n := len(t)
	switch {
	case n > 4 && strings.HasSuffix(t, "ies"):
		return t[:n-3] + "y"
	case n > 3 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") &&
		!strings.HasSuffix(t, "us") && !strings.HasSuffix(t, "is"):
		return t[:n-1]
	}
	return t
}

// phraseKey hashes a sequence of stemmed tokens.
func phraseKey(toks []string) uint64 {
	var h uint64
	for i, t := range toks {
		th := hashString(stem(t))
		if i == 0 {
			h = th
		} else {
			h = pairHash(h, th)
		}
	}
	return h
}

// phrase is one weighted cue for one prior slug.
type phrase struct {
	Slug   string
	Text   string // lower-case tokens separated by spaces
	Weight float32
}

// priorEntry is a phrase compiled for matching.
type priorEntry struct {
	slug   int // index into priorSlugs
	weight float64
	weak   bool // an ambiguous cue (ambiguousCues)
}

// priorMatcher matches phrases of up to three tokens.
type priorMatcher struct {
	byKey map[uint64][]priorEntry
	first map[uint64]bool // stemmed first-token hashes, to skip most tokens fast
}

func priorIndex(slug string) int {
	for i, p := range priorSlugs {
		if p.slug == slug {
			return i
		}
	}
	return -1
}

func newPriorMatcher(phrases []phrase) *priorMatcher {
	pm := &priorMatcher{byKey: map[uint64][]priorEntry{}, first: map[uint64]bool{}}
	weak := map[[2]uint64]bool{}
	for slug, list := range ambiguousCues {
		for _, t := range strings.Split(list, "|") {
			weak[[2]uint64{uint64(priorIndex(slug)), phraseKey(tokenize(t))}] = true
		}
	}
	for _, p := range phrases {
		toks := tokenize(p.Text)
		i := priorIndex(p.Slug)
		if len(toks) == 0 || len(toks) > 3 || i < 0 || slices.Contains(toks, "0") {
			// A token with a digit ("g7") normalises to "0" and
			// would match every number in the text.
			continue
		}
		k := phraseKey(toks)
		pm.byKey[k] = append(pm.byKey[k], priorEntry{slug: i, weight: float64(p.Weight), weak: weak[[2]uint64{uint64(i), k}]})
		pm.first[hashString(stem(toks[0]))] = true
	}
	return pm
}

// score returns the keyword score in [0,1] of every prior slug, indexed like priorSlugs.
func (pm *priorMatcher) score(title, text string) []float64 {
	return pm.scoreTokens(tokenize(title), tokenize(text))
}

// scoreTokens is score on already tokenised title and text.
func (pm *priorMatcher) scoreTokens(title, text []string) []float64 {
	evidence := make([]float64, len(priorSlugs))
	cues := make([]int, len(priorSlugs))    // different phrases matched
	strong := make([]bool, len(priorSlugs)) // a phrase that is not ambiguous matched
	var seen map[uint64]int
	ntok := 0
	run := func(toks []string, times float64) {
		ntok += len(toks)
		hs := make([]uint64, len(toks))
		for i, t := range toks {
			hs[i] = hashString(stem(t))
		}
		for i := range hs {
			if !pm.first[hs[i]] {
				continue
			}
			k := hs[i]
			for n := 1; n <= 3 && i+n <= len(hs); n++ {
				if n > 1 {
					k = pairHash(k, hs[i+n-1])
				}
				entries, ok := pm.byKey[k]
				if !ok {
					continue
				}
				if seen == nil {
					seen = map[uint64]int{}
				}
				seen[k]++
				if seen[k] > priorMaxRepeats {
					continue
				}
				for j, e := range entries {
					evidence[e.slug] += e.weight * times
					strong[e.slug] = strong[e.slug] || !e.weak
					// A curated phrase and an IPTC label with the same
					// text are one cue.
					if seen[k] == 1 && !slices.ContainsFunc(entries[:j], func(o priorEntry) bool { return o.slug == e.slug }) {
						cues[e.slug]++
					}
				}
			}
		}
	}
	run(title, titleWeight)
	run(text, 1)
	norm := 1 + float64(ntok)/priorLengthNorm
	for i, e := range evidence {
		if cues[i] < priorMinCues || !strong[i] {
			evidence[i] = 0
			continue
		}
		evidence[i] = 1 - math.Exp(-e/norm/priorSoftness)
	}
	return evidence
}

// curatedPhraseList returns the curated phrases in a fixed order.
func curatedPhraseList() []phrase {
	var out []phrase
	for _, p := range priorSlugs {
		for _, t := range strings.Split(curatedPhrases[p.slug], "|") {
			out = append(out, phrase{Slug: p.slug, Text: t, Weight: 1})
		}
	}
	return out
}

// politicsCueDiscount is how much of the politics head's score needs
// political cues (politicsCueGate).
const politicsCueDiscount = 0.5

// politicsCueGate corroborates the politics head with political words. The
// head learnt AG News "World" and HuffPost "WORLD NEWS" as politics, so it
// fires on any foreign report — an earthquake in Turkey, a fire in Paris.
// Its score is kept in full when the text has political cues (keyword score
// 1) and cut by politicsCueDiscount when it has none (fewer than
// priorMinCues different cues).
func politicsCueGate(cue float64) float64 {
	return 1 - politicsCueDiscount*(1-cue)
}
