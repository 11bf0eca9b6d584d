// Package article holds the domain types that flow through the Vantage pipeline:
// an Article as ingested, the analysis results later steps attach to it, and the
// Story that groups the articles reporting one event.
package article

import "time"

// Article is one news report as it enters the pipeline. Text is plain text with
// paragraphs separated by a blank line. Offsets of analysis results are Unicode
// code points into Text.
type Article struct {
	ID           string    `json:"id"`                      // stable ID ("a-" + hash of canonical URL or content)
	URL          string    `json:"url,omitempty"`           // URL as given
	CanonicalURL string    `json:"canonical_url,omitempty"` // normalised URL used for deduplication
	Title        string    `json:"title"`
	Byline       string    `json:"byline,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Lang         string    `json:"lang,omitempty"`
	Text         string    `json:"text"`
	Source       string    `json:"source,omitempty"`  // publisher or feed title
	License      string    `json:"license,omitempty"` // licence line that travels with the record
	FeedID       int64     `json:"feed_id,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"` // hex SHA-256 of normalised title+text
	Fetched      time.Time `json:"fetched,omitzero"`       // when Vantage ingested it

	// Analysis results, filled by analysers (later pipeline steps).
	Analysis *Analysis `json:"analysis,omitempty"`
}

// Analysis is what the analysers found in an article.
type Analysis struct {
	Places   []PlaceMention `json:"places,omitempty"`
	Focus    []Focus        `json:"focus,omitempty"`
	Entities []Entity       `json:"entities,omitempty"`
	Topics   []Topic        `json:"topics,omitempty"`
	StoryID  string         `json:"story,omitempty"`
	DupOf    string         `json:"duplicate_of,omitempty"`
}

// PlaceMention is a resolved toponym in the text.
type PlaceMention struct {
	Start      int     `json:"start"` // code points, inclusive
	End        int     `json:"end"`   // code points, exclusive
	Text       string  `json:"text"`
	GeonameID  int64   `json:"geonameid"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"` // country, admin1, admin2, city, region, water, ...
	Country    string  `json:"country,omitempty"`
	Lat        float64 `json:"lat"`
	Lon        float64 `json:"lon"`
	Confidence float64 `json:"confidence"`
}

// Focus is a weighted place the article is about.
type Focus struct {
	GeonameID int64   `json:"geonameid"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Country   string  `json:"country,omitempty"`
	Weight    float64 `json:"weight"`
}

// Entity is a person or organisation named in the text.
type Entity struct {
	Text      string `json:"text"`
	Type      string `json:"type"` // PER, ORG
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Canonical string `json:"canonical"`
	Role      string `json:"role,omitempty"`
	Country   string `json:"country,omitempty"`
}

// Topic is one topic label with a score in [0,1].
type Topic struct {
	Slug  string  `json:"slug"`
	IPTC  string  `json:"iptc"`
	Score float64 `json:"score"`
}
