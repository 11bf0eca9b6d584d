package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/store"
)

type searchData struct {
	Q, Since string
	Searched bool
	Hits     []hit
	Next     string
	Problem  string
}

type hit struct {
	Title, URL, Source string
	Published          time.Time
	Snippet            []segment
	StoryURL           string
}

// segment is a piece of a snippet; Mark highlights a query word.
type segment struct {
	Text string
	Mark bool
}

const searchPage = 20

func (s *Site) search(w http.ResponseWriter, r *http.Request) (*view, error) {
	q := r.URL.Query()
	d := &searchData{Q: strings.TrimSpace(q.Get("q")), Since: strings.TrimSpace(q.Get("since"))}
	v := &view{Name: "search", Title: "Search", Nav: "search", Data: d}
	aq := store.ArticleQuery{Q: d.Q, Limit: searchPage, Cursor: q.Get("cursor")}
	if d.Since != "" {
		t, err := time.Parse("2006-01-02", d.Since)
		if err != nil {
			d.Problem = "The date must be written as year-month-day, for example 2023-03-19."
			v.Status = http.StatusBadRequest
			return v, nil
		}
		aq.Since = t
	}
	if d.Q == "" && d.Since == "" {
		return v, nil
	}
	d.Searched = true
	v.Title = "Search: " + d.Q
	page, err := s.Store.Articles(r.Context(), aq)
	if errors.Is(err, store.ErrCursor) {
		d.Problem = "That page of results is no longer valid; search again."
		v.Status = http.StatusBadRequest
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	words := queryWords(d.Q)
	for _, a := range page.Articles {
		h := hit{Title: a.Title, URL: a.URL, Source: a.Source, Published: a.Published, Snippet: snippet(a.Text, words, 240)}
		if h.Title == "" {
			h.Title = "(untitled)"
		}
		if a.Analysis != nil && a.Analysis.StoryID != "" {
			h.StoryURL = "/stories/" + url.PathEscape(a.Analysis.StoryID)
		}
		d.Hits = append(d.Hits, h)
	}
	if page.Next != "" {
		nv := url.Values{"cursor": {page.Next}}
		if d.Q != "" {
			nv.Set("q", d.Q)
		}
		if d.Since != "" {
			nv.Set("since", d.Since)
		}
		d.Next = "/search?" + nv.Encode()
	}
	return v, nil
}

// queryWords are the lower-cased words of a query, for highlighting.
func queryWords(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

// snippet cuts about n bytes of text around the first query word and marks
// every query word in it.
func snippet(text string, words []string, n int) []segment {
	text = strings.Join(strings.Fields(text), " ")
	lower := strings.ToLower(text)
	start := 0
	if len(lower) == len(text) { // lower-casing kept the byte offsets
		first := -1
		for _, w := range words {
			if i := strings.Index(lower, w); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
		if first > n/3 {
			start = first - n/3
		}
	}
	for start > 0 && start < len(text) && !utf8.RuneStart(text[start]) {
		start--
	}
	end := min(len(text), start+n)
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	cut := text[start:end]
	var segs []segment
	if start > 0 {
		segs = append(segs, segment{Text: "…"})
	}
	if len(lower) == len(text) && len(words) > 0 {
		lc := lower[start:end]
		i := 0
		for i < len(cut) {
			best, bl := -1, 0
			for _, w := range words {
				if j := strings.Index(lc[i:], w); j >= 0 && (best < 0 || j < best) {
					best, bl = j, len(w)
				}
			}
			if best < 0 {
				break
			}
			if best > 0 {
				segs = append(segs, segment{Text: cut[i : i+best]})
			}
			segs = append(segs, segment{Text: cut[i+best : i+best+bl], Mark: true})
			i += best + bl
		}
		if i < len(cut) {
			segs = append(segs, segment{Text: cut[i:]})
		}
	} else {
		segs = append(segs, segment{Text: cut})
	}
	if end < len(text) {
		segs = append(segs, segment{Text: "…"})
	}
	return segs
}
