package topics

import (
	"slices"
	"strings"

	"github.com/vantage-news/vantage/internal/article"
)

// AggregateMinShare is the share of a story's articles a topic must appear in
// to be a topic of the story.
const AggregateMinShare = 0.5

// Aggregate combines the topics of a story's articles (one list per article,
// as Classify returns them) into the story's topics. A topic's score is the
// mean of its scores over all the articles, an article without it counting 0
// (a slug repeated within one list counts once, with its highest score); a
// topic is kept when it appears in at least AggregateMinShare of the
// articles. IPTC codes are the taxonomy's (or the first one given, for a slug
// outside it). The result is sorted by score, highest first, ties by slug;
// scores are rounded to three decimals. No articles, or no topic shared
// widely enough, give nil.
func Aggregate(lists [][]article.Topic) []article.Topic {
	if len(lists) == 0 {
		return nil
	}
	type acc struct {
		sum  float64
		n    int
		iptc string
	}
	by := map[string]*acc{}
	for _, list := range lists {
		best := map[string]article.Topic{}
		for _, tp := range list {
			if b, ok := best[tp.Slug]; !ok || tp.Score > b.Score {
				if ok && tp.IPTC == "" {
					tp.IPTC = b.IPTC
				}
				best[tp.Slug] = tp
			}
		}
		for slug, tp := range best {
			a := by[slug]
			if a == nil {
				a = &acc{}
				by[slug] = a
			}
			a.sum += tp.Score
			a.n++
			if a.iptc == "" {
				a.iptc = tp.IPTC
			}
		}
	}
	var out []article.Topic
	for slug, a := range by {
		if float64(a.n) < AggregateMinShare*float64(len(lists)) {
			continue
		}
		iptc := a.iptc
		if code := iptcOf(slug); code != "" || isSlug(slug) {
			iptc = code
		}
		out = append(out, article.Topic{Slug: slug, IPTC: iptc, Score: round3(a.sum / float64(len(lists)))})
	}
	slices.SortFunc(out, func(x, y article.Topic) int {
		if x.Score != y.Score {
			if x.Score > y.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(x.Slug, y.Slug)
	})
	return out
}

// isSlug reports whether slug is in the taxonomy.
func isSlug(slug string) bool {
	return slices.ContainsFunc(taxonomy, func(s Slug) bool { return s.Slug == slug })
}
