package topics

// labelMapping is the one fixed table from a labelled data set's labels to
// our slugs. A label mapped to "" is not used for training nor scored in
// evaluation (its section mixes many topics). Each data set "covers" the set
// of slugs its labels map to: an example is a negative only for covered slugs
// it does not carry, and says nothing about the others (masked one-vs-rest).
var labelMapping = map[string]map[string]string{
	"bbc": {
		"business":      "economy-business-finance",
		"entertainment": "arts-culture-entertainment",
		"politics":      "politics",
		"sport":         "sport",
		"tech":          "science-technology",
	},
	"agnews": {
		"World":    "politics", // international affairs; IPTC puts international relations under politics
		"Sports":   "sport",
		"Business": "economy-business-finance",
		"Sci/Tech": "science-technology",
	},
	"huffpost": {
		"POLITICS":       "politics",
		"WORLD NEWS":     "politics", // as AG News "World"
		"U.S. NEWS":      "",         // mixed hard news of every kind
		"ENTERTAINMENT":  "arts-culture-entertainment",
		"COMEDY":         "arts-culture-entertainment",
		"MEDIA":          "arts-culture-entertainment", // IPTC: mass media is under arts, culture, entertainment and media
		"CULTURE & ARTS": "arts-culture-entertainment",
		"SPORTS":         "sport",
		"CRIME":          "crime-law-justice",
		"STYLE & BEAUTY": "lifestyle-leisure",
		"HOME & LIVING":  "lifestyle-leisure",
		"FOOD & DRINK":   "lifestyle-leisure",
		"TRAVEL":         "lifestyle-leisure",
		"WEDDINGS":       "lifestyle-leisure",
		"WEIRD NEWS":     "human-interest",
		"BLACK VOICES":   "society",
		"QUEER VOICES":   "society",
		"WOMEN":          "society",
		"LATINO VOICES":  "society",
		"PARENTING":      "society", // IPTC: family is under society
		"IMPACT":         "society", // charity, volunteering, social good
		"ENVIRONMENT":    "environment",
		"WELLNESS":       "health",
		"BUSINESS":       "economy-business-finance",
		"MONEY":          "economy-business-finance",
		"SCIENCE":        "science-technology",
		"TECH":           "science-technology",
		"RELIGION":       "religion",
		"EDUCATION":      "education",
	},
}

// datasetFiles names the labelled files under the data directory, in the
// fixed order training reads them.
var datasetFiles = []struct{ name, file string }{
	{"bbc", "bbc.dev.jsonl"},
	{"agnews", "agnews_test.dev.jsonl"},
	{"huffpost", "huffpost_v3_first10k.dev.jsonl"},
}

// mapLabel maps a data set label to a slug; ok is false for unknown labels.
func mapLabel(dataset, label string) (slug string, ok bool) {
	m, found := labelMapping[dataset]
	if !found {
		return "", false
	}
	slug, ok = m[label]
	return slug, ok
}

// coveredSlugs lists, in taxonomy order, the slugs a data set's labels map to.
func coveredSlugs(dataset string) []string {
	set := map[string]bool{}
	for _, s := range labelMapping[dataset] {
		if s != "" {
			set[s] = true
		}
	}
	var out []string
	for _, s := range taxonomy {
		if set[s.Slug] {
			out = append(out, s.Slug)
		}
	}
	return out
}
