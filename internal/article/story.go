package article

import (
	"cmp"
	"slices"
	"time"
)

// Story is one event as reported by one or more articles: the record the
// clustering step keeps up to date and the store persists. Aggregates (focus,
// places, entities, topics) are computed over the story's original articles,
// duplicates left out.
type Story struct {
	ID       string `json:"id"`
	Headline string `json:"headline"` // the most central title, outlet suffix removed
	Summary  string `json:"summary"`  // extractive, about 60 words
	// SummarySentences are the sentences of Summary, each with its article.
	SummarySentences []SummarySentence `json:"summary_sentences,omitempty"`
	Sources          []StorySource     `json:"sources"` // every article, in arrival order
	FirstSeen        time.Time         `json:"first_seen,omitzero"`
	LastSeen         time.Time         `json:"last_seen,omitzero"`
	// ArticleCount counts every article, near-duplicates included;
	// IndependentSourceCount counts distinct publishers among the originals.
	ArticleCount           int           `json:"article_count"`
	IndependentSourceCount int           `json:"independent_source_count"`
	Focus                  []Focus       `json:"focus,omitempty"`      // mean focus weight over the originals, heaviest first
	Places                 []StoryPlace  `json:"places,omitempty"`     // every place named, most named first
	Entities               []StoryEntity `json:"entities,omitempty"`   // people and organisations, most named first
	Topics                 []Topic       `json:"topics,omitempty"`     // mean score over the originals
	Merged                 []string      `json:"merged,omitempty"`     // story IDs folded into this one
	SplitFrom              string        `json:"split_from,omitempty"` // the story this one was split from (its reports were of another event)
	SplitOff               []string      `json:"split_off,omitempty"`  // stories split from this one
	Updated                time.Time     `json:"updated,omitzero"`     // when the record was last rebuilt
}

// SummarySentence is one sentence of a story summary and the article it comes from.
type SummarySentence struct {
	Text      string `json:"text"`
	ArticleID string `json:"article_id"`
}

// StorySource is one article of a story.
type StorySource struct {
	ArticleID   string    `json:"article_id"`
	Title       string    `json:"title"`
	Source      string    `json:"source,omitempty"` // publisher
	URL         string    `json:"url,omitempty"`
	Published   time.Time `json:"published,omitzero"`
	DuplicateOf string    `json:"duplicate_of,omitempty"` // set for near-duplicates
}

// StoryPlace is a place named in a story's articles.
type StoryPlace struct {
	GeonameID int64   `json:"geonameid"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Country   string  `json:"country,omitempty"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Mentions  int     `json:"mentions"` // occurrences over all original articles
	Articles  int     `json:"articles"` // original articles naming it
}

// StoryEntity is a person or organisation named in a story's articles.
type StoryEntity struct {
	Canonical string `json:"canonical"`
	Type      string `json:"type"` // PER, ORG
	Role      string `json:"role,omitempty"`
	Country   string `json:"country,omitempty"`
	Mentions  int    `json:"mentions"`
	Articles  int    `json:"articles"`
}

// FocusCountries returns the country-level focus of the story, heaviest
// first (ties by code).
func (s *Story) FocusCountries() []CountryWeight {
	sum := map[string]float64{}
	for _, f := range s.Focus {
		if f.Kind == "country" && f.Country != "" {
			sum[f.Country] += f.Weight
		}
	}
	out := make([]CountryWeight, 0, len(sum))
	for c, w := range sum {
		out = append(out, CountryWeight{Country: c, Weight: w})
	}
	sortCountryWeights(out)
	return out
}

// CountryWeight is a country's share of a focus.
type CountryWeight struct {
	Country string  `json:"country"`
	Weight  float64 `json:"weight"`
}

func sortCountryWeights(cs []CountryWeight) {
	slices.SortFunc(cs, func(a, b CountryWeight) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.Country, b.Country)
	})
}
