package extract

import (
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// furnitureClass matches class and id values of things that sit inside an article's
// container without being article text: captions and credits, share bars, related-link
// boxes, newsletter prompts, ads, and hover cards (shown only on mouse-over).
var furnitureClass = regexp.MustCompile(`(?i)(^|[\s_-])(caption|captions|credit|credits|share|sharing|social|related|recirc|promo|newsletter|subscribe|subscription|advert|advertisement|ad|ads|adslot|sponsor|sponsored|outbrain|taboola|most-?popular|trending|rollover|tooltip|popover|hovercard|dropdown|byline|dateline|timestamp|breadcrumbs?|author-bio|signup|paywall|inline-related|read-?more|more-?stories|tags)([\s_-]|$)`)

// furnitureTags are dropped from an article container wholesale.
var furnitureTags = map[string]bool{
	"figcaption": true, "aside": true, "nav": true, "button": true, "form": true,
	"footer": true, "time": true,
}

// prune removes page furniture that readability left in the article container n.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && isFurniture(c) {
			n.RemoveChild(c)
		} else {
			prune(c)
		}
		c = next
	}
}

func isFurniture(n *html.Node) bool {
	if furnitureTags[n.Data] {
		return true
	}
	if furnitureClass.MatchString(attr(n, "class")) || furnitureClass.MatchString(attr(n, "id")) {
		return true
	}
	switch n.Data {
	case "ul", "ol", "div", "section", "table", "dl", "p", "h2", "h3", "h4", "h5", "h6":
		text := normaliseSpace(nodeText(n))
		l := utf8.RuneCountInString(text)
		if l == 0 {
			return false
		}
		d := linkDensity(n, l)
		switch n.Data {
		case "ul", "ol", "dl":
			return d > 0.5
		case "p":
			return d > 0.9 && l < 200
		case "h2", "h3", "h4", "h5", "h6":
			return d > 0.9
		default:
			return d > 0.6
		}
	}
	return false
}
