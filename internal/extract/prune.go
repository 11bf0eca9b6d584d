package extract

import (
	"regexp"
	"unicode"

	"golang.org/x/net/html"
)

// furnitureClass matches class and id values of things that sit inside an article's
// container without being article text: captions and credits, share bars, related-link
// boxes, newsletter prompts, ads, and hover cards (shown only on mouse-over).
var furnitureClass = regexp.MustCompile(`(?i)(^|[\s_-])(caption|captions|credit|credits|share|sharing|social|related|recirc|promo|newsletter|subscribe|subscription|advert|advertisement|ad|ads|adslot|sponsor|sponsored|outbrain|taboola|most-?popular|trending|rollover|tooltip|popover|hovercard|dropdown|byline|dateline|timestamp|breadcrumbs?|author-bio|signup|paywall|inline-related|read-?more|more-?stories|tags)([\s_-]|$)`)

// embedClass matches embedded posts (tweets, Instagram), which are part of the story even
// when their wrapper is called "social".
var embedClass = regexp.MustCompile(`(?i)embed|tweet|instagram`)

// furnitureTags are dropped from an article container wholesale.
var furnitureTags = map[string]bool{
	"figcaption": true, "aside": true, "nav": true, "button": true, "form": true,
	"footer": true, "time": true,
}

// textStats is the amount of visible text under a node, and how much of it is link text,
// counted in non-space runes.
type textStats struct{ text, links int }

func (s textStats) linkDensity() float64 {
	if s.text == 0 {
		return 0
	}
	return float64(s.links) / float64(s.text)
}

// measure fills stats for n and everything under it in one pass.
func measure(n *html.Node, inLink bool, stats map[*html.Node]textStats) textStats {
	var s textStats
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if !unicode.IsSpace(r) {
				s.text++
			}
		}
		if inLink {
			s.links = s.text
		}
		return s
	case html.ElementNode:
		if skipTags[n.Data] {
			return s
		}
		inLink = inLink || n.Data == "a"
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cs := measure(c, inLink, stats)
		s.text += cs.text
		s.links += cs.links
	}
	stats[n] = s
	return s
}

// prune removes page furniture that readability left in the article container root.
func prune(root *html.Node) {
	stats := make(map[*html.Node]textStats)
	total := measure(root, false, stats).text
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode && isFurniture(c, stats[c], total) {
				n.RemoveChild(c)
			} else {
				walk(c)
			}
			c = next
		}
	}
	walk(root)
}

// isFurniture decides whether element n, holding s of the article's total text, is page
// furniture rather than part of the article.
func isFurniture(n *html.Node, s textStats, total int) bool {
	if furnitureTags[n.Data] {
		return true
	}
	class, id := attr(n, "class"), attr(n, "id")
	// A container named like furniture is furniture only if it is a small part of the
	// article (share buttons wrapped around the whole story are not) or mostly links.
	if (furnitureClass.MatchString(class) || furnitureClass.MatchString(id)) &&
		!embedClass.MatchString(class) && attr(n, "itemprop") != "articleBody" &&
		(s.text*3 < total || s.linkDensity() > 0.5) {
		return true
	}
	if s.text == 0 {
		return false
	}
	d := s.linkDensity()
	switch n.Data {
	case "ul", "ol", "dl":
		return d > 0.5
	case "p":
		return d > 0.9 && s.text < 200
	case "h2", "h3", "h4", "h5", "h6":
		return d > 0.9
	case "div", "section", "table":
		return d > 0.6
	}
	return false
}
