// Package extract turns a news web page (HTML) into its main text and metadata.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// DefaultMaxBytes is how much HTML Extract reads when the caller gives no limit.
const DefaultMaxBytes = 10 << 20

// Errors returned by Extract; test with errors.Is.
var (
	ErrEmpty     = errors.New("extract: empty input")
	ErrNotHTML   = errors.New("extract: input does not look like HTML text")
	ErrNoContent = errors.New("extract: no article text found")
)

// errInternal marks a recovered panic: a bug, which the fuzz test looks for.
var errInternal = errors.New("extract: internal error")

// Result is the main text and metadata of one page.
type Result struct {
	Title     string    `json:"title"`
	Byline    string    `json:"byline"`
	Published time.Time `json:"published,omitzero"`
	Lang      string    `json:"lang"`
	SiteName  string    `json:"site_name,omitempty"`
	Text      string    `json:"text"` // plain text, paragraphs separated by "\n\n"
}

// Extract reads at most maxBytes (DefaultMaxBytes if maxBytes <= 0) of HTML from r and
// returns the page's main text and metadata. pageURL, the address of the page, may be nil.
// Extract never panics; malformed or non-HTML input gives an error.
func Extract(r io.Reader, pageURL *url.URL, maxBytes int64) (res *Result, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxBytes))
	if err != nil {
		return nil, fmt.Errorf("extract: read: %w", err)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	defer func() {
		// The HTML tree walkers (ours and go-readability's) are large; a bug in one of
		// them must cost one page, not the process.
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%w: %v", errInternal, p)
		}
	}()
	src := decode(raw)
	if !looksLikeText(src) {
		return nil, ErrNotHTML
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return nil, fmt.Errorf("extract: parse: %w", err)
	}
	meta := readMetadata(doc)
	text := mainText(doc, pageURL, meta)
	if text == "" {
		return nil, ErrNoContent
	}
	return &Result{
		Title:     meta.title(),
		Byline:    meta.byline(),
		Published: meta.published,
		Lang:      meta.lang(),
		SiteName:  meta.siteName,
		Text:      text,
	}, nil
}

// looksLikeText reports whether s is plausibly a text document: not dominated by control
// characters or invalid bytes (which decoding turned into U+FFFD).
func looksLikeText(s string) bool {
	sample := s[:min(len(s), 8192)]
	var bad, total int
	for _, r := range sample {
		total++
		switch {
		case r == utf8.RuneError, r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f':
			bad++
		}
	}
	return total > 0 && bad*10 < total
}
