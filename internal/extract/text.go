package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// blockTags start and end a paragraph when rendering text.
var blockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "body": true,
	"br": true, "caption": true, "center": true, "dd": true, "details": true, "dialog": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "header": true, "hr": true, "html": true, "li": true, "main": true, "nav": true,
	"ol": true, "p": true, "pre": true, "section": true, "summary": true, "table": true,
	"tbody": true, "tfoot": true, "thead": true, "tr": true, "ul": true, "hgroup": true,
}

// skipTags never hold article text.
var skipTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"iframe": true, "head": true, "button": true, "select": true, "textarea": true,
	"input": true, "canvas": true, "video": true, "audio": true, "object": true,
	"embed": true, "map": true, "math": true, "option": true, "label": true,
}

// paragraphs renders the text under n as whitespace-normalised paragraphs: each block
// element starts a new one, inline elements run together.
func paragraphs(n *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if p := normaliseSpace(cur.String()); p != "" {
			out = append(out, p)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.Data] || isHidden(n) {
				return
			}
			if n.Data == "img" {
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		switch {
		case block:
			flush()
		case n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th"):
			cur.WriteByte(' ')
		}
	}
	walk(n)
	flush()
	return out
}

// isHidden reports whether an element is hidden by markup (not by stylesheets).
func isHidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if a.Val == "true" {
				return true
			}
		case "style":
			s := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// normaliseSpace collapses runs of whitespace to one space and drops invisible characters
// (soft hyphens, zero-width spaces and joiners, byte-order marks).
func normaliseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
