package feeds

import (
	"html"
	"regexp"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// looksLikeMarkup matches a complete start, end or self-closing tag, or a
// comment; text without one is only entity-decoded, so "a<b" survives.
var looksLikeMarkup = regexp.MustCompile(`<(/?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?|!--.*?--)>`)

// cleanInline turns a feed title or name into one line of plain text: tags
// stripped, entities decoded, whitespace collapsed.
func cleanInline(s string) string {
	if s == "" {
		return ""
	}
	if looksLikeMarkup.MatchString(s) {
		s = htmlToText(s)
	} else {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

var blankLine = regexp.MustCompile(`\n\s*\n`)

// skipped elements contribute no text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Svg: true, atom.Math: true,
}

// blocks end the current paragraph where they open and close.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Aside: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true,
	atom.Table: true, atom.Tr: true, atom.Caption: true, atom.Hr: true,
	atom.Address: true, atom.Details: true, atom.Summary: true, atom.Form: true, atom.Fieldset: true,
	atom.Center: true,
}

// htmlToText renders an HTML fragment as plain text: paragraphs separated by
// "\n\n", single line breaks kept from <br>, runs of whitespace collapsed,
// scripts and styles dropped, entities decoded.
func htmlToText(s string) string {
	z := nethtml.NewTokenizer(strings.NewReader(s))
	var (
		paras []string
		cur   strings.Builder
		skip  int  // depth inside skipped elements
		space bool // whitespace pending before the next word
	)
	flush := func() {
		p := strings.TrimSpace(cur.String())
		if p != "" {
			paras = append(paras, p)
		}
		cur.Reset()
		space = false
	}
	for {
		tt := z.Next()
		switch tt {
		case nethtml.ErrorToken:
			flush()
			return strings.Join(paras, "\n\n")
		case nethtml.TextToken:
			if skip > 0 {
				continue
			}
			text := string(z.Text())
			for i, w := range strings.Fields(text) {
				if (i > 0 || space || startsWithSpace(text)) && cur.Len() > 0 && !endsWithNewline(&cur) {
					cur.WriteByte(' ')
				}
				cur.WriteString(w)
				space = false
			}
			if endsWithSpace(text) {
				space = true
			}
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped[a] {
				if tt == nethtml.StartTagToken {
					skip++
				}
				continue
			}
			switch {
			case a == atom.Br:
				if endsWithNewline(&cur) {
					flush() // <br><br> is a paragraph break
				} else if cur.Len() > 0 {
					cur.WriteByte('\n')
				}
				space = false
			case a == atom.Img:
				space = true
			case blocks[a]:
				flush()
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped[a] {
				if skip > 0 {
					skip--
				}
				continue
			}
			if blocks[a] {
				flush()
			}
		}
	}
}

func startsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f", rune(s[0]))
}

func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f", rune(s[len(s)-1]))
}

func endsWithNewline(b *strings.Builder) bool {
	s := b.String()
	return s != "" && s[len(s)-1] == '\n'
}

// plainText renders an item body, which may be HTML or plain text, as plain text.
func plainText(s string) string {
	if looksLikeMarkup.MatchString(s) {
		return htmlToText(s)
	}
	// Plain text: keep the author's blank-line paragraphs, collapse the rest.
	var paras []string
	for _, p := range blankLine.Split(html.UnescapeString(s), -1) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}
