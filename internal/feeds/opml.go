package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// ErrNotOPML is returned by ParseOPML for a document whose root is not <opml>.
var ErrNotOPML = errors.New("not an OPML document")

// Subscription is one feed of a subscription list.
type Subscription struct {
	URL      string // the feed (xmlUrl)
	Title    string
	SiteURL  string // htmlUrl
	Category string // the enclosing outline's title, or the outline's category attribute
}

// maxOPMLSize bounds how much ParseOPML reads; real lists are far smaller.
const maxOPMLSize = 32 << 20

// ParseOPML reads the feed subscriptions of an OPML 1.x or 2.0 document.
// Outlines may nest: a feed's category is the title of the outline that
// contains it (nearest first), else its own category attribute. Repeated feed
// URLs are kept once.
func ParseOPML(r io.Reader) ([]Subscription, error) {
	d := xml.NewDecoder(io.LimitReader(r, maxOPMLSize))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	d.Entity = xml.HTMLEntity

	var (
		subs    []Subscription
		seen    = make(map[string]bool)
		stack   []string // titles of the open outlines; "" for feeds
		sawRoot bool
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if sawRoot && len(subs) > 0 {
				break // keep what a truncated list gave
			}
			return nil, fmt.Errorf("parse OPML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if !sawRoot {
				if name != "opml" {
					return nil, fmt.Errorf("parse OPML: root <%s>: %w", t.Name.Local, ErrNotOPML)
				}
				sawRoot = true
				continue
			}
			if name != "outline" {
				continue
			}
			o := outlineAttrs(t.Attr)
			if o.URL == "" {
				stack = append(stack, o.Title)
				continue
			}
			stack = append(stack, "")
			for i := len(stack) - 2; i >= 0; i-- {
				if stack[i] != "" {
					o.Category = stack[i]
					break
				}
			}
			if !seen[o.URL] {
				seen[o.URL] = true
				subs = append(subs, o)
			}
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !sawRoot {
		return nil, fmt.Errorf("parse OPML: %w", ErrNotOPML)
	}
	return subs, nil
}

// outlineAttrs reads an outline's attributes, ignoring the case of their
// names (exporters write xmlUrl, xmlURL and xmlurl).
func outlineAttrs(attrs []xml.Attr) Subscription {
	var s Subscription
	var text, category string
	for _, a := range attrs {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "xmlurl":
			s.URL = v
		case "htmlurl":
			s.SiteURL = v
		case "title":
			s.Title = cleanInline(v)
		case "text":
			text = cleanInline(v)
		case "category":
			category = v
		}
	}
	if s.Title == "" {
		s.Title = text
	}
	if category != "" {
		// OPML 2.0: comma-separated slash-delimited paths; take the first
		// path's last component.
		first, _, _ := strings.Cut(category, ",")
		parts := strings.Split(strings.Trim(strings.TrimSpace(first), "/"), "/")
		s.Category = strings.TrimSpace(parts[len(parts)-1])
	}
	return s
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

// WriteOPML writes subs as an OPML 2.0 document: uncategorised feeds at the
// top level, the others inside one folder outline per category, in the order
// the feeds and categories first appear.
func WriteOPML(w io.Writer, title string, subs []Subscription) error {
	doc := opmlDoc{Version: "2.0", Title: title}
	folders := make(map[string]int) // category → index in doc.Body
	for _, s := range subs {
		o := opmlOutline{Text: s.Title, Title: s.Title, Type: "rss", XMLURL: s.URL, HTMLURL: s.SiteURL}
		if o.Text == "" {
			o.Text = s.URL
		}
		if s.Category == "" {
			doc.Body = append(doc.Body, o)
			continue
		}
		i, ok := folders[s.Category]
		if !ok {
			i = len(doc.Body)
			folders[s.Category] = i
			doc.Body = append(doc.Body, opmlOutline{Text: s.Category, Title: s.Category})
		}
		doc.Body[i].Outlines = append(doc.Body[i].Outlines, o)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	return nil
}
