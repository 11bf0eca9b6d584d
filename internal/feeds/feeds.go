// Package feeds owns syndication feeds: parsing RSS, Atom and JSON Feed into
// articles, OPML subscription lists, and polling subscribed feeds, on their
// schedule (Poller.PollOnce) or one at once on request (Poller.FetchNow), never
// two polls of one feed at a time.
package feeds

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/vantage-news/vantage/internal/article"
)

// ErrNotFeed is returned by Parse for input that is not RSS, Atom or JSON Feed.
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed")

// Feed is a parsed feed.
type Feed struct {
	Title   string // plain text
	SiteURL string // the site the feed belongs to, absolute when it could be resolved
	Items   []Item
}

// Item is one entry of a feed.
type Item struct {
	GUID        string
	URL         string // absolute link to the item's page, if any
	Title       string // plain text: tags stripped, entities decoded
	Author      string
	Published   time.Time // zero when the feed gives no readable date
	Summary     string    // plain text of the description/summary, paragraphs separated by "\n\n"
	ContentHTML string    // full content as given (content:encoded, Atom content, content_html)
}

// Text is the item's body as plain text: the content if there is any,
// otherwise the summary.
func (it Item) Text() string {
	if t := plainText(it.ContentHTML); t != "" {
		return t
	}
	return it.Summary
}

// Article converts the item to a pipeline article credited to source.
func (it Item) Article(source string) article.Article {
	return article.Article{
		URL:       it.URL,
		Title:     it.Title,
		Byline:    it.Author,
		Published: it.Published,
		Text:      it.Text(),
		Source:    source,
	}
}

// Parse parses an RSS (0.9x, 1.0, 2.0), Atom (0.3, 1.0) or JSON Feed (1.0,
// 1.1) document; the format is sniffed from the content. feedURL, if given,
// resolves relative links. Items are kept even when their dates are unreadable.
func Parse(data []byte, feedURL string) (feed *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed = nil
			err = fmt.Errorf("parse feed %s: internal error: %v", feedURL, r)
		}
	}()
	data = toUTF8(data)
	if !looksLikeFeed(data) {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, ErrNotFeed)
	}
	gf, err := parseGofeed(data)
	if err != nil {
		// Second chance: salvage what a lenient reader would.
		var repaired []byte
		switch {
		case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
			repaired = extractEmbeddedFeed(data)
		case bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{")):
			repaired = looseJSONFeed(data)
		default:
			repaired = closeTruncatedXML(data)
		}
		if repaired != nil {
			if again, err2 := parseGofeed(repaired); err2 == nil {
				gf, err = again, nil
			}
		}
	}
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			err = ErrNotFeed
		}
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	return convert(gf, feedURL), nil
}

func parseGofeed(data []byte) (*gofeed.Feed, error) {
	p := gofeed.NewParser()
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	return p.Parse(bytes.NewReader(data))
}

// looksLikeFeed rejects input that cannot be a feed before the XML parser sees
// it: anything that starts with neither '<' nor '{'.
func looksLikeFeed(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n\x00")
	return len(data) > 0 && (data[0] == '<' || data[0] == '{')
}

func convert(gf *gofeed.Feed, feedURL string) *Feed {
	base, _ := url.Parse(feedURL)
	f := &Feed{
		Title:   cleanInline(gf.Title),
		SiteURL: resolve(base, strings.TrimSpace(gf.Link)),
	}
	site, _ := url.Parse(f.SiteURL)
	if site == nil || !site.IsAbs() {
		site = base
	}
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		f.Items = append(f.Items, convertItem(gi, site))
	}
	return f
}

func convertItem(gi *gofeed.Item, base *url.URL) Item {
	it := Item{
		GUID:        strings.TrimSpace(gi.GUID),
		Title:       cleanInline(gi.Title),
		Author:      itemAuthor(gi),
		Summary:     plainText(gi.Description),
		ContentHTML: strings.TrimSpace(gi.Content),
	}
	link := strings.TrimSpace(gi.Link)
	if link == "" {
		for _, l := range gi.Links {
			if l = strings.TrimSpace(l); l != "" {
				link = l
				break
			}
		}
	}
	if link == "" {
		link = extensionLink(gi)
	}
	if link == "" && isHTTPURL(it.GUID) {
		link = it.GUID // RSS guid with isPermaLink, or an Atom id that is a URL
	}
	it.URL = resolve(base, link)
	if it.GUID == "" {
		it.GUID = it.URL
	}
	it.Published = itemDate(gi)
	return it
}

// extensionLink finds an Atom link inside an RSS item (<atom:link href>,
// whatever prefix the feed gave the Atom namespace).
func extensionLink(gi *gofeed.Item) string {
	for _, prefix := range slices.Sorted(maps.Keys(gi.Extensions)) {
		for _, e := range gi.Extensions[prefix]["link"] {
			if rel := e.Attrs["rel"]; rel != "" && rel != "alternate" {
				continue
			}
			if href := strings.TrimSpace(e.Attrs["href"]); href != "" {
				return href
			}
		}
	}
	return ""
}

func itemAuthor(gi *gofeed.Item) string {
	for _, p := range gi.Authors {
		if p == nil {
			continue
		}
		if n := cleanInline(p.Name); n != "" {
			return n
		}
		if e := strings.TrimSpace(p.Email); e != "" {
			return e
		}
	}
	if gi.Author != nil {
		if n := cleanInline(gi.Author.Name); n != "" {
			return n
		}
	}
	if dc := gi.DublinCoreExt; dc != nil {
		for _, c := range dc.Creator {
			if c = cleanInline(c); c != "" {
				return c
			}
		}
	}
	return ""
}

// itemDate picks the publication date, falling back to the update date, then
// to this package's own layouts for strings gofeed could not read.
func itemDate(gi *gofeed.Item) time.Time {
	switch {
	case gi.PublishedParsed != nil && !gi.PublishedParsed.IsZero():
		return gi.PublishedParsed.UTC()
	case gi.UpdatedParsed != nil && !gi.UpdatedParsed.IsZero():
		return gi.UpdatedParsed.UTC()
	}
	candidates := []string{gi.Published, gi.Updated}
	if dc := gi.DublinCoreExt; dc != nil {
		candidates = append(candidates, dc.Date...)
	}
	for _, s := range candidates {
		if t, ok := parseDate(s); ok {
			return t.UTC()
		}
	}
	return time.Time{}
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// resolve makes ref absolute against base when it can, and returns ref as
// given (trimmed) otherwise.
func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if u.IsAbs() || base == nil || !base.IsAbs() {
		return u.String()
	}
	return base.ResolveReference(u).String()
}
