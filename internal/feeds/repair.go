package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
)

// Second chances for documents gofeed rejects. Each repair returns the
// document rewritten, or nil when it does not apply.

// closeTruncatedXML completes an XML document cut short (a size cap, a broken
// connection, a missing closing tag): it keeps everything up to the last
// complete token and closes the elements still open.
func closeTruncatedXML(data []byte) []byte {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var stack []string
	good := int64(0)
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) && len(stack) == 0 {
				return nil // complete document: nothing to repair
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, qualified(t.Name))
		case xml.EndElement:
			// Non-strict mode lets mismatched end tags through; pop to the match.
			name := qualified(t.Name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == name {
					stack = stack[:i]
					break
				}
			}
		}
		good = d.InputOffset()
	}
	if len(stack) == 0 {
		return nil
	}
	out := append([]byte(nil), data[:good]...)
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, "</"+stack[i]+">"...)
	}
	return out
}

func qualified(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

var (
	// feedRoot finds a feed element embedded in another document, e.g. an
	// Atom feed wrapped in an XHTML page.
	feedRoot = regexp.MustCompile(`<(feed|rss|rdf:RDF)[\s>]`)
	// fragmentRoot finds a lone entry or item, as saved from a larger feed.
	fragmentRoot = regexp.MustCompile(`^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(entry|item)[\s>]`)
)

// extractEmbeddedFeed returns the first feed element of a document whose root
// is something else, or a lone Atom entry or RSS item wrapped in a feed.
func extractEmbeddedFeed(data []byte) []byte {
	if m := fragmentRoot.FindSubmatch(data); m != nil {
		body := data[bytes.Index(data, []byte("<"+string(m[1]))):]
		if string(m[1]) == "entry" {
			return concat(`<feed xmlns="http://www.w3.org/2005/Atom">`, body, `</feed>`)
		}
		return concat(`<rss version="2.0"><channel>`, body, `</channel></rss>`)
	}
	loc := feedRoot.FindSubmatchIndex(data)
	if loc == nil || loc[0] == 0 {
		return nil
	}
	name := string(data[loc[2]:loc[3]])
	body := data[loc[0]:]
	if end := bytes.LastIndex(body, []byte("</"+name+">")); end >= 0 {
		body = body[:end+len(name)+3]
	}
	return body
}

func concat(head string, body []byte, tail string) []byte {
	out := make([]byte, 0, len(head)+len(body)+len(tail))
	out = append(out, head...)
	out = append(out, body...)
	return append(out, tail...)
}

// looseJSONFeed rewrites a JSON Feed whose fields have the wrong JSON types
// (a string where the spec wants an array, a number for a string, an author
// given as a bare name) into one gofeed's strict decoder accepts. Fields that
// cannot be coerced are dropped.
func looseJSONFeed(data []byte) []byte {
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil
	}
	coerceObject(doc)
	if items, ok := doc["items"].([]any); ok {
		kept := items[:0]
		for _, it := range items {
			if obj, ok := it.(map[string]any); ok {
				coerceObject(obj)
				kept = append(kept, obj)
			}
		}
		doc["items"] = kept
	} else {
		doc["items"] = []any{}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil
	}
	return out
}

var jsonFeedStrings = []string{
	"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
	"icon", "favicon", "language", "id", "url", "external_url", "content_html", "content_text",
	"summary", "image", "banner_image", "date_published", "date_modified",
}

func coerceObject(obj map[string]any) {
	for _, k := range jsonFeedStrings {
		v, ok := obj[k]
		if !ok {
			continue
		}
		switch v := v.(type) {
		case string:
		case json.Number:
			obj[k] = v.String()
		default:
			delete(obj, k)
		}
	}
	if v, ok := obj["tags"]; ok {
		switch v := v.(type) {
		case string:
			obj["tags"] = splitTags(v)
		case []any:
			var tags []any
			for _, t := range v {
				if s, ok := t.(string); ok {
					tags = append(tags, s)
				}
			}
			obj["tags"] = tags
		default:
			delete(obj, "tags")
		}
	}
	if v, ok := obj["author"]; ok {
		switch v := v.(type) {
		case string:
			obj["author"] = map[string]any{"name": v}
		case map[string]any:
			coercePerson(v)
		default:
			delete(obj, "author")
		}
	}
	if v, ok := obj["authors"]; ok {
		list, _ := v.([]any)
		var authors []any
		for _, a := range list {
			switch a := a.(type) {
			case string:
				authors = append(authors, map[string]any{"name": a})
			case map[string]any:
				coercePerson(a)
				authors = append(authors, a)
			}
		}
		obj["authors"] = authors
	}
	if v, ok := obj["attachments"]; ok {
		if _, isList := v.([]any); !isList {
			delete(obj, "attachments")
		}
	}
}

func coercePerson(p map[string]any) {
	for _, k := range []string{"name", "url", "avatar"} {
		if v, ok := p[k]; ok {
			if _, isString := v.(string); !isString {
				delete(p, k)
			}
		}
	}
}

func splitTags(s string) []any {
	var tags []any
	for t := range strings.SplitSeq(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}
