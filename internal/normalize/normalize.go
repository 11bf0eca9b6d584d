// Package normalize cleans article text and identity before analysis: Unicode NFC,
// whitespace and boilerplate, canonical URLs, content hashes and stable article IDs.
package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vantage-news/vantage/internal/article"
)

// Limits on what one article may carry; longer fields are rejected, not truncated silently.
const (
	MaxTitleRunes = 1000
	MaxTextBytes  = 2 << 20 // 2 MiB of plain text
)

// ErrEmpty is returned for an article with neither title nor text.
var ErrEmpty = errors.New("article has no title and no text")

// Article normalises a in place: text and title cleaned, canonical URL, content hash
// and ID set (an ID given by the source is kept). It returns an error saying why an
// article must be rejected.
func Article(a *article.Article) error {
	a.Title = Line(a.Title)
	a.Byline = Line(a.Byline)
	a.Source = Line(a.Source)
	if len(a.Text) > MaxTextBytes {
		return fmt.Errorf("text is %d bytes, over the %d limit", len(a.Text), MaxTextBytes)
	}
	a.Text = Text(a.Text)
	if utf8.RuneCountInString(a.Title) > MaxTitleRunes {
		return fmt.Errorf("title is over %d characters", MaxTitleRunes)
	}
	if a.Title == "" && a.Text == "" {
		return ErrEmpty
	}
	if a.Text == "" {
		a.Text = a.Title
	}
	if a.Title == "" {
		a.Title = firstWords(a.Text, 12)
	}
	if a.URL != "" {
		cu, err := CanonicalURL(a.URL)
		if err != nil {
			return fmt.Errorf("url %q: %w", a.URL, err)
		}
		a.CanonicalURL = cu
	}
	a.ContentHash = ContentHash(a.Title, a.Text)
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" {
		a.ID = DeriveID(a.CanonicalURL, a.ContentHash)
	}
	return nil
}

// DeriveID makes a stable article ID from the canonical URL, or from the content
// hash when there is no URL.
func DeriveID(canonicalURL, contentHash string) string {
	key := canonicalURL
	if key == "" {
		key = "hash:" + contentHash
	}
	sum := sha256.Sum256([]byte(key))
	return "a-" + hex.EncodeToString(sum[:8])
}

// Line normalises a one-line field: NFC, control characters dropped, runs of
// whitespace collapsed to one space, trimmed.
func Line(s string) string {
	s = norm.NFC.String(strings.ToValidUTF8(s, ""))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
		case unicode.IsControl(r) || r == '\ufeff' || r == '\u200b':
			// drop
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Text normalises body text: NFC, each paragraph as one line, paragraphs separated
// by one blank line, boilerplate lines (share buttons, "Advertisement", cookie
// notices) removed.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var paras []string
	for _, block := range strings.Split(s, "\n\n") {
		// single newlines inside a paragraph are soft wraps unless the line is short
		// (lists, headings), which we keep as their own paragraphs.
		var cur []string
		flush := func() {
			if len(cur) > 0 {
				p := Line(strings.Join(cur, " "))
				if p != "" && !Boilerplate(p) {
					paras = append(paras, p)
				}
				cur = cur[:0]
			}
		}
		for _, ln := range strings.Split(block, "\n") {
			l := Line(ln)
			if l == "" {
				flush()
				continue
			}
			cur = append(cur, l)
		}
		flush()
	}
	return strings.Join(paras, "\n\n")
}

var boilerplate = map[string]bool{
	"advertisement": true, "advertisements": true, "sponsored": true, "sponsored content": true,
	"share": true, "share this": true, "share this article": true, "share on facebook": true,
	"share on twitter": true, "tweet": true, "email": true, "print": true, "comments": true,
	"read more": true, "continue reading": true, "related articles": true, "related": true,
	"follow us": true, "subscribe": true, "sign up": true, "newsletter": true,
	"skip to main content": true, "skip to content": true, "click here": true,
	"image copyright": true, "getty images": true, "ad": true,
}

// Boilerplate reports whether a paragraph is page furniture rather than article text.
func Boilerplate(p string) bool {
	if len(p) > 80 {
		return false
	}
	k := strings.ToLower(strings.TrimRight(strings.TrimSpace(p), ".:!…>» "))
	if boilerplate[k] {
		return true
	}
	for _, pre := range []string{"we use cookies", "this site uses cookies", "sign up for our", "subscribe to our", "follow us on", "share this story", "click here to"} {
		if strings.HasPrefix(k, pre) {
			return true
		}
	}
	return false
}

// tracking parameters removed from canonical URLs.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"igshid": true, "ref": true, "ref_src": true, "cmpid": true, "ocid": true, "smid": true,
	"s_cid": true, "ito": true, "yclid": true, "_ga": true, "at_medium": true, "at_campaign": true,
	"CMP": true, "rss": true,
}

// CanonicalURL returns the URL used for deduplication: lower-case scheme and host,
// no default port, no fragment, no tracking parameters, sorted query, no trailing
// slash on non-root paths.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", err
	}
	if u.Scheme == "" || u.Host == "" {
		return "", errors.New("not an absolute URL")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	host = strings.TrimPrefix(host, "www.")
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	if u.Scheme == "http" {
		u.Scheme = "https" // one article, whichever scheme linked it
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.User = nil
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[k] || trackingParams[strings.ToLower(k)] {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for _, v := range vs {
			qs = append(qs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	u.RawQuery = strings.Join(qs, "&")
	u.ForceQuery = false
	if len(u.Path) > 1 {
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
	}
	if u.Path == "/" {
		u.Path = ""
	}
	return u.String(), nil
}

// ContentHash is the hex SHA-256 of the title and text reduced to lower-case
// letters and digits separated by single spaces, so whitespace, punctuation and
// case changes do not make a different article.
func ContentHash(title, text string) string {
	h := sha256.New()
	write := func(s string) {
		var b []byte
		space := false
		for _, r := range strings.ToLower(s) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				if space && len(b) > 0 {
					b = append(b, ' ')
				}
				space = false
				b = utf8.AppendRune(b, r)
			} else {
				space = true
			}
		}
		h.Write(b)
		h.Write([]byte{0})
	}
	write(title)
	write(text)
	return hex.EncodeToString(h.Sum(nil))
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + "…"
}
