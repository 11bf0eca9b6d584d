package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/topics"
)

var funcs = template.FuncMap{
	"pct":      func(w float64) string { return strconv.Itoa(int(math.Round(100*w))) + "%" },
	"km":       fmtKm,
	"num":      func(n int64) string { return thousands(n) },
	"date":     fmtDate,
	"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"tierInfo": func(t lens.Tier) string { return tierInfo[t] },
	"topic":    topicName,
	"storyURL": storyURL,
	"placeURL": func(id int64) string { return "/places/" + strconv.FormatInt(id, 10) },
	"briefURL": briefURL,
	"plural":   plural,
	"add":      func(a, b int) int { return a + b },
}

// tierInfo explains each tier in a sentence (badge tooltips and legends).
var tierInfo = map[lens.Tier]string{
	lens.Here:      "The story happens in your place.",
	lens.National:  "The story happens elsewhere in your country.",
	lens.Party:     "Your country or its people take part in the story.",
	lens.Neighbour: "Your country borders a country the story is about.",
	lens.Nearby:    "The story's ground is close to your place.",
	lens.Regional:  "The story is in your region.",
	lens.Tied:      "Your country is tied to the story's countries by a bloc or frequent shared news.",
	lens.Distant:   "Largely unaffected: no close link to your place.",
}

// topicNames maps slugs to their short display names.
var (
	taxonomy   = topics.Taxonomy()
	topicNames = func() map[string]string {
		m := map[string]string{}
		for _, t := range taxonomy {
			m[t.Slug] = t.Name
		}
		return m
	}()
)

func topicName(slug string) string {
	if n, ok := topicNames[slug]; ok {
		return n
	}
	return strings.ReplaceAll(slug, "-", " ")
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2 Jan 2006") // a date without a time
	}
	return t.Format("2 Jan 2006, 15:04 UTC")
}

func thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// storyURL links a story, carrying the reader's place and topics.
func storyURL(id, place string, interests []string) string {
	u := "/stories/" + url.PathEscape(id)
	if q := placeQuery(place, interests); q != "" {
		u += "?" + q
	}
	return u
}

// briefURL links the briefing for a place and topics.
func briefURL(place string, interests []string) string {
	if q := placeQuery(place, interests); q != "" {
		return "/?" + q
	}
	return "/"
}

func placeQuery(place string, interests []string) string {
	v := url.Values{}
	if place != "" {
		v.Set("place", place)
	}
	if len(interests) > 0 {
		v.Set("topics", strings.Join(interests, ","))
	}
	return v.Encode()
}

// interests reads the topics of a request: repeated "topics" values, each
// possibly comma-separated; unknown slugs are dropped.
func interests(vals []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vals {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if _, ok := topicNames[t]; ok && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// readerKey names a resolved reader in links: its GeoNames ID, else the
// query as typed (a coordinate).
func readerKey(r *lens.Reader, query string) string {
	if r.Place != nil && r.Place.ID != 0 {
		return strconv.FormatInt(r.Place.ID, 10)
	}
	return strings.TrimSpace(query)
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// fmtKm formats a distance (a float64 or a *float64) as "1,234 km".
func fmtKm(v any) string {
	var km float64
	switch x := v.(type) {
	case float64:
		km = x
	case *float64:
		if x == nil {
			return ""
		}
		km = *x
	}
	return thousands(int64(math.Round(km))) + " km"
}

// plural is "1 one" or "n many".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
