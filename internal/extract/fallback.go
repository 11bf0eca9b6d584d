package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// unlikelyBlock matches class and id values of page furniture.
var unlikelyBlock = regexp.MustCompile(`(?i)(^|[\s_-])(comments?|sidebar|side-bar|footer|foot|nav|navbar|navigation|menu|masthead|header|share|sharing|social|related|recirc|promo|newsletter|subscribe|subscription|cookie|consent|popup|modal|breadcrumbs?|banner|advert|ad|ads|adslot|sponsor|outbrain|taboola|widget|most-?popular|trending|tags?)([\s_-]|$)`)

// noiseTags are the elements the fallback never looks inside.
var noiseTags = map[string]bool{
	"nav": true, "header": true, "footer": true, "aside": true, "form": true, "menu": true,
}

// fallbackParagraphs is a small content extractor used when readability fails: it scores
// each element by the amount of prose in the paragraphs directly under it (and, at half
// weight, under its children), takes the best-scoring element, and renders the prose
// paragraphs in it.
func fallbackParagraphs(doc *html.Node) []string {
	body := findElement(doc, "body")
	if body == nil {
		body = doc
	}
	scores := make(map[*html.Node]float64)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if skipTags[n.Data] || noiseTags[n.Data] || isHidden(n) || isUnlikely(n) {
				return
			}
			if n.Data == "p" || n.Data == "pre" || n.Data == "blockquote" {
				text := normaliseSpace(NodeText(n))
				l := utf8.RuneCountInString(text)
				if l >= 25 && linkDensity(n, l) < 0.5 {
					s := 1 + float64(strings.Count(text, ",")) + min(float64(l)/100, 3)
					if p := n.Parent; p != nil {
						scores[p] += s
						if g := p.Parent; g != nil {
							scores[g] += s / 2
						}
					}
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	var best *html.Node
	for n, s := range scores {
		if best == nil || s > scores[best] {
			best = n
		}
	}
	if best == nil {
		return nil
	}
	var out []string
	for _, p := range paragraphs(best) {
		if utf8.RuneCountInString(p) >= 2 {
			out = append(out, p)
		}
	}
	return out
}

func isUnlikely(n *html.Node) bool {
	if n.Data == "body" || n.Data == "article" || n.Data == "main" {
		return false
	}
	return unlikelyBlock.MatchString(attr(n, "class")) || unlikelyBlock.MatchString(attr(n, "id"))
}

// linkDensity is the share of n's text (of length l runes) that sits inside links.
func linkDensity(n *html.Node, l int) float64 {
	if l == 0 {
		return 0
	}
	links := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			links += utf8.RuneCountInString(normaliseSpace(NodeText(n)))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return float64(links) / float64(l)
}

// findElement returns the first element named tag in document order.
func findElement(n *html.Node, tag string) *html.Node {
	if n.Type == html.ElementNode && n.Data == tag {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, tag); f != nil {
			return f
		}
	}
	return nil
}
