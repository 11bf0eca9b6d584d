package extract

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// metadata is what the page says about itself, gathered before the article text is
// extracted (readability rewrites the tree).
type metadata struct {
	ldHeadline  string   // JSON-LD headline of the article object
	ldAuthors   []string // JSON-LD author names
	ldBody      string   // JSON-LD articleBody, if given
	ldLang      string   // JSON-LD inLanguage
	metaTitle   string   // og:title, twitter:title, ...
	titleTag    string   // <title>
	metaAuthor  string   // <meta name=author> and friends
	htmlLang    string   // <html lang>
	metaLang    string   // content-language, og:locale
	siteName    string   // og:site_name, JSON-LD publisher
	published   time.Time
	readability struct { // filled in by mainText from go-readability's own metadata
		title, byline, lang, siteName string
		published                     time.Time
	}
}

// title returns the best headline: JSON-LD, then OpenGraph/Twitter, then readability's
// cleaned-up <title>, then the raw <title>.
func (m *metadata) title() string {
	for _, t := range []string{m.ldHeadline, m.metaTitle, m.readability.title, m.titleTag} {
		if t = cleanInline(t); t != "" {
			return t
		}
	}
	return ""
}

// byline returns the author names, preferring structured data over visible bylines.
func (m *metadata) byline() string {
	if len(m.ldAuthors) > 0 {
		return strings.Join(m.ldAuthors, ", ")
	}
	for _, b := range []string{m.metaAuthor, m.readability.byline} {
		if b = cleanByline(b); b != "" {
			return b
		}
	}
	return ""
}

// lang returns a BCP 47 language tag, as declared by the page.
func (m *metadata) lang() string {
	for _, l := range []string{m.htmlLang, m.ldLang, m.metaLang, m.readability.lang} {
		if l = normaliseLang(l); l != "" {
			return l
		}
	}
	return ""
}

// readMetadata walks the document head (and body, for JSON-LD and microdata) once.
func readMetadata(doc *html.Node) *metadata {
	m := &metadata{}
	var metaDate string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				if m.htmlLang == "" {
					m.htmlLang = attr(n, "lang")
				}
				if m.htmlLang == "" {
					m.htmlLang = attr(n, "xml:lang")
				}
			case "title":
				if m.titleTag == "" && n.FirstChild != nil {
					m.titleTag = NodeText(n)
				}
			case "script":
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					m.readJSONLD(n.FirstChild.Data)
				}
				return
			case "style", "svg", "template":
				return
			case "meta":
				m.readMeta(n, &metaDate)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if m.published.IsZero() {
		m.published = parseDate(metaDate)
	}
	return m
}

// readMeta reads one <meta> tag.
func (m *metadata) readMeta(n *html.Node, date *string) {
	key := strings.ToLower(strings.TrimSpace(attr(n, "property")))
	if key == "" {
		key = strings.ToLower(strings.TrimSpace(attr(n, "name")))
	}
	if key == "" {
		key = strings.ToLower(strings.TrimSpace(attr(n, "itemprop")))
	}
	if key == "" {
		key = strings.ToLower(strings.TrimSpace(attr(n, "http-equiv")))
	}
	content := strings.TrimSpace(attr(n, "content"))
	if key == "" || content == "" {
		return
	}
	setOnce := func(dst *string) {
		if *dst == "" {
			*dst = content
		}
	}
	switch key {
	case "og:title", "twitter:title", "dc.title", "dcterms.title", "headline":
		setOnce(&m.metaTitle)
	case "og:site_name", "application-name", "twitter:site:name":
		setOnce(&m.siteName)
	case "author", "article:author", "byl", "dc.creator", "dcterms.creator", "parsely-author",
		"sailthru.author", "twitter:creator", "cxenseparse:author":
		if !strings.Contains(content, "://") && !strings.HasPrefix(content, "@") {
			setOnce(&m.metaAuthor)
		}
	case "article:published_time", "og:article:published_time", "datepublished", "publishdate",
		"pubdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
		"dcterms.issued", "sailthru.date", "parsely-pub-date", "article.published",
		"original-publish-date", "cxenseparse:recs:publishtime", "timestamp":
		setOnce(date)
	case "content-language", "og:locale", "language", "dc.language":
		setOnce(&m.metaLang)
	}
}

// articleTypes are the schema.org types whose JSON-LD describes the article itself.
var articleTypes = map[string]bool{
	"article": true, "newsarticle": true, "reportagenewsarticle": true, "analysisnewsarticle": true,
	"opinionnewsarticle": true, "backgroundnewsarticle": true, "reviewnewsarticle": true,
	"blogposting": true, "liveblogposting": true, "socialmediaposting": true, "report": true,
	"scholarlyarticle": true, "techarticle": true, "advertisercontentarticle": true,
	"satiricalarticle": true, "medicalscholarlyarticle": true, "review": true,
}

// readJSONLD reads one JSON-LD block. Malformed JSON is retried once with raw control
// characters (a common publisher bug) replaced by spaces, then ignored.
func (m *metadata) readJSONLD(src string) {
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		fixed := strings.Map(func(r rune) rune {
			if r < 0x20 {
				return ' '
			}
			return r
		}, src)
		if json.Unmarshal([]byte(fixed), &v) != nil {
			return
		}
	}
	m.walkJSONLD(v, 0)
}

func (m *metadata) walkJSONLD(v any, depth int) {
	if depth > 8 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			m.walkJSONLD(e, depth+1)
		}
	case map[string]any:
		if isArticleType(v["@type"]) {
			m.readArticleLD(v)
		}
		if g, ok := v["@graph"]; ok {
			m.walkJSONLD(g, depth+1)
		}
		if e, ok := v["mainEntity"]; ok {
			m.walkJSONLD(e, depth+1)
		}
		if t, _ := v["@type"].(string); strings.EqualFold(t, "WebSite") || strings.EqualFold(t, "NewsMediaOrganization") {
			if n := ldName(v["name"]); n != "" && m.siteName == "" {
				m.siteName = n
			}
		}
	}
}

func isArticleType(t any) bool {
	switch t := t.(type) {
	case string:
		return articleTypes[strings.ToLower(t)]
	case []any:
		for _, e := range t {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// readArticleLD takes the fields of the first article object that has them.
func (m *metadata) readArticleLD(v map[string]any) {
	if m.ldHeadline == "" {
		m.ldHeadline = ldName(v["headline"])
		if m.ldHeadline == "" {
			m.ldHeadline = ldName(v["name"])
		}
	}
	if len(m.ldAuthors) == 0 {
		m.ldAuthors = ldAuthors(v["author"])
		if len(m.ldAuthors) == 0 {
			m.ldAuthors = ldAuthors(v["creator"])
		}
	}
	if m.published.IsZero() {
		m.published = parseDate(ldName(v["datePublished"]))
		if m.published.IsZero() {
			m.published = parseDate(ldName(v["dateCreated"]))
		}
	}
	if b, ok := v["articleBody"].(string); ok && len(b) > len(m.ldBody) {
		m.ldBody = b
	}
	if m.ldLang == "" {
		m.ldLang = ldName(v["inLanguage"])
	}
	if p, ok := v["publisher"].(map[string]any); ok && m.siteName == "" {
		m.siteName = ldName(p["name"])
	}
}

// ldName returns the text of a JSON-LD value that may be a string, an object with a name or
// @value, or a list of those (the first is used).
func ldName(v any) string {
	switch v := v.(type) {
	case string:
		return cleanInline(html.UnescapeString(v))
	case map[string]any:
		if n := ldName(v["name"]); n != "" {
			return n
		}
		return ldName(v["@value"])
	case []any:
		for _, e := range v {
			if s := ldName(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldAuthors lists the names in a JSON-LD author value, skipping organisations named like
// the publisher and URLs.
func ldAuthors(v any) []string {
	var names []string
	add := func(s string) {
		s = cleanByline(s)
		if s == "" || strings.Contains(s, "://") {
			return
		}
		for _, n := range names {
			if strings.EqualFold(n, s) {
				return
			}
		}
		names = append(names, s)
	}
	switch v := v.(type) {
	case string:
		add(v)
	case map[string]any:
		add(ldName(v["name"]))
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				add(e)
			case map[string]any:
				add(ldName(e["name"]))
			}
		}
	}
	return names
}

// dateLayouts are the timestamp formats seen in news metadata, most common first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z0700",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102T150405Z0700",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006 15:04",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"02/01/2006",
	"2006/01/02",
	"2006/01/02 15:04:05",
}

// parseDate parses a metadata timestamp; it returns the zero time if s is not one.
// Unix timestamps (seconds or milliseconds) are accepted too.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return plausible(t)
		}
	}
	if n, ok := digits(s); ok {
		switch len(s) {
		case 10:
			return plausible(time.Unix(n, 0).UTC())
		case 13:
			return plausible(time.UnixMilli(n).UTC())
		}
	}
	return time.Time{}
}

// plausible drops timestamps that cannot be a web article's publication time.
func plausible(t time.Time) time.Time {
	if t.Year() < 1990 || t.Year() > 2200 {
		return time.Time{}
	}
	return t
}

func digits(s string) (int64, bool) {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, s != ""
}

// normaliseLang turns "en_US" or " EN-us " into "en-US"; it drops values that are not
// language tags.
func normaliseLang(l string) string {
	l = strings.TrimSpace(l)
	if i := strings.IndexAny(l, ",; "); i >= 0 {
		l = l[:i]
	}
	l = strings.ReplaceAll(l, "_", "-")
	parts := strings.Split(l, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 {
		return ""
	}
	for i, p := range parts {
		if p == "" || len(p) > 8 {
			return ""
		}
		for _, c := range p {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return ""
			}
		}
		switch {
		case i == 0:
			parts[i] = strings.ToLower(p)
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		case len(p) == 4:
			parts[i] = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		default:
			parts[i] = strings.ToLower(p)
		}
	}
	return strings.Join(parts, "-")
}

// bylineTail matches what visible bylines often run into: a date, a time, a count.
var bylineTail = regexp.MustCompile(`(?i)\s*(\d|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d|\b(updated|published|posted)\b).*$`)

// cleanByline removes a leading "By" and surrounding punctuation from an author line.
func cleanByline(s string) string {
	s = cleanInline(s)
	for _, p := range []string{"by ", "By ", "BY ", "von ", "Von ", "por ", "Por ", "par ", "Par "} {
		s = strings.TrimPrefix(s, p)
	}
	if loc := bylineTail.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	s = strings.Trim(s, " ,;:|-–—")
	if len(s) > 200 {
		return ""
	}
	return s
}

// cleanInline collapses all whitespace in s to single spaces.
func cleanInline(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// NodeText concatenates the text nodes under n.
func NodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
