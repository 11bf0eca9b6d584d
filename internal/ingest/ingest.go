// Package ingest reads news from files, directories and standard input (JSON
// Lines, feeds, HTML pages, plain text) and yields one Record per article, with a
// clear reason for anything it cannot read.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vantage-news/vantage/internal/article"
	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/feeds"
)

// Record is one input item: an article, or why one could not be read.
type Record struct {
	Article article.Article
	Where   string // file and line, for messages
	Err     error
}

// RejectError says why an input item was rejected, in a few words (the summary
// groups by Reason) with the detail in Err.
type RejectError struct {
	Reason string
	Err    error
}

func (e *RejectError) Error() string {
	if e.Err == nil {
		return e.Reason
	}
	return e.Reason + ": " + e.Err.Error()
}

func (e *RejectError) Unwrap() error { return e.Err }

func reject(reason string, err error) error { return &RejectError{Reason: reason, Err: err} }

// Reason returns the short reason of a rejection error.
func Reason(err error) string {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason
	}
	return "error"
}

// Options bound what one input may cost.
type Options struct {
	MaxLineBytes int   // longest JSON line accepted (default 16 MiB)
	MaxFileBytes int64 // largest .html/.txt/feed file accepted (default 32 MiB)
}

func (o Options) withDefaults() Options {
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = 16 << 20
	}
	if o.MaxFileBytes <= 0 {
		o.MaxFileBytes = 32 << 20
	}
	return o
}

// Paths yields the records of every path in order: "-" is standard input (JSON
// Lines), a directory is walked in lexical order, a file is read by its kind.
func Paths(ctx context.Context, paths []string, stdin io.Reader, opts Options) iter.Seq[Record] {
	opts = opts.withDefaults()
	return func(yield func(Record) bool) {
		for _, p := range paths {
			if ctx.Err() != nil {
				return
			}
			if p == "-" {
				if !yieldAll(JSONLines(ctx, stdin, "stdin", opts), yield) {
					return
				}
				continue
			}
			info, err := os.Stat(p)
			if err != nil {
				if !yield(Record{Where: p, Err: reject("unreadable file", err)}) {
					return
				}
				continue
			}
			if !info.IsDir() {
				if !yieldAll(File(ctx, p, opts), yield) {
					return
				}
				continue
			}
			var files []string
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != p {
					return filepath.SkipDir
				}
				if !d.IsDir() && Kind(path) != "" {
					files = append(files, path)
				}
				return nil
			})
			if err != nil {
				if !yield(Record{Where: p, Err: reject("unreadable directory", err)}) {
					return
				}
			}
			sort.Strings(files)
			for _, f := range files {
				if !yieldAll(File(ctx, f, opts), yield) {
					return
				}
			}
		}
	}
}

func yieldAll(seq iter.Seq[Record], yield func(Record) bool) bool {
	for r := range seq {
		if !yield(r) {
			return false
		}
	}
	return true
}

// Kind names how a file is read from its extension: "jsonl", "feed", "html",
// "text", or "" for files that are skipped in a directory walk.
func Kind(path string) string {
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(path, ".gz"))) {
	case ".jsonl", ".ndjson", ".json":
		return "jsonl"
	case ".xml", ".rss", ".atom", ".rdf":
		return "feed"
	case ".html", ".htm", ".xhtml":
		return "html"
	case ".txt", ".text", ".md":
		return "text"
	}
	return ""
}

// File yields the records of one file.
func File(ctx context.Context, path string, opts Options) iter.Seq[Record] {
	opts = opts.withDefaults()
	return func(yield func(Record) bool) {
		kind := Kind(path)
		if kind == "jsonl" {
			f, err := os.Open(path)
			if err != nil {
				yield(Record{Where: path, Err: reject("unreadable file", err)})
				return
			}
			defer f.Close()
			yieldAll(JSONLines(ctx, f, path, opts), yield)
			return
		}
		data, err := readCapped(path, opts.MaxFileBytes)
		if err != nil {
			yield(Record{Where: path, Err: err})
			return
		}
		switch kind {
		case "feed":
			yieldAll(Feed(data, path), yield)
		case "html":
			a, err := HTML(data, "")
			yield(Record{Article: a, Where: path, Err: err})
		default:
			a, err := Text(data)
			yield(Record{Article: a, Where: path, Err: err})
		}
	}
}

func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, reject("unreadable file", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, reject("unreadable file", err)
	}
	if int64(len(data)) > max {
		return nil, reject("too large", fmt.Errorf("%s is over %d bytes", path, max))
	}
	return data, nil
}

// Line is the JSON Lines schema of one article.
type Line struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
	Source    string `json:"source"`
	Byline    string `json:"byline"`
	Author    string `json:"author"`
	Lang      string `json:"lang"`
	License   string `json:"license"`
}

// Article converts a decoded line into an article.
func (l Line) Article() (article.Article, error) {
	a := article.Article{ID: l.ID, URL: l.URL, Title: l.Title, Text: l.Text, Source: l.Source,
		Byline: l.Byline, Lang: l.Lang, License: l.License}
	if a.Byline == "" {
		a.Byline = l.Author
	}
	if l.Published != "" {
		t, err := ParseTime(l.Published)
		if err != nil {
			return a, reject("bad published time", err)
		}
		a.Published = t
	}
	if strings.TrimSpace(a.Text) == "" && l.HTML != "" {
		var u *url.URL
		if l.URL != "" {
			u, _ = url.Parse(l.URL)
		}
		res, err := extract.Extract(strings.NewReader(l.HTML), u, 0)
		if err != nil {
			return a, reject("unreadable html", err)
		}
		a.Text = res.Text
		if a.Title == "" {
			a.Title = res.Title
		}
		if a.Byline == "" {
			a.Byline = res.Byline
		}
		if a.Published.IsZero() {
			a.Published = res.Published
		}
		if a.Lang == "" {
			a.Lang = res.Lang
		}
	}
	return a, nil
}

// JSONLines yields one record per non-blank line of r. A malformed or oversize
// line is rejected with its line number; reading goes on with the next line.
func JSONLines(ctx context.Context, r io.Reader, name string, opts Options) iter.Seq[Record] {
	opts = opts.withDefaults()
	return func(yield func(Record) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		lineNo := 0
		var buf []byte
		for {
			if ctx.Err() != nil {
				return
			}
			lineNo++
			buf = buf[:0]
			tooLong := false
			var err error
			for {
				var chunk []byte
				chunk, err = br.ReadSlice('\n')
				if !tooLong {
					if len(buf)+len(chunk) > opts.MaxLineBytes {
						tooLong = true
						buf = buf[:0]
					} else {
						buf = append(buf, chunk...)
					}
				}
				if err != bufio.ErrBufferFull {
					break
				}
			}
			where := fmt.Sprintf("%s:%d", name, lineNo)
			if tooLong {
				if !yield(Record{Where: where, Err: reject("line too long", fmt.Errorf("over %d bytes", opts.MaxLineBytes))}) {
					return
				}
			} else if line := bytes.TrimSpace(buf); len(line) > 0 {
				if !yield(decodeLine(line, where)) {
					return
				}
			}
			if err != nil {
				if err != io.EOF {
					yield(Record{Where: where, Err: reject("read error", err)})
				}
				return
			}
		}
	}
}

func decodeLine(line []byte, where string) Record {
	if !utf8.Valid(line) {
		return Record{Where: where, Err: reject("invalid UTF-8", errors.New("line is not UTF-8"))}
	}
	var l Line
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&l); err != nil {
		return Record{Where: where, Err: reject("malformed JSON", err)}
	}
	if dec.More() {
		return Record{Where: where, Err: reject("malformed JSON", errors.New("more than one value on the line"))}
	}
	a, err := l.Article()
	return Record{Article: a, Where: where, Err: err}
}

// Feed yields the items of a feed document as articles.
func Feed(data []byte, name string) iter.Seq[Record] {
	return func(yield func(Record) bool) {
		f, err := feeds.Parse(data, "")
		if err != nil {
			yield(Record{Where: name, Err: reject("unreadable feed", err)})
			return
		}
		for i, it := range f.Items {
			if !yield(Record{Article: it.Article(f.Title), Where: fmt.Sprintf("%s#%d", name, i+1)}) {
				return
			}
		}
	}
}

// HTML extracts the article of a web page.
func HTML(data []byte, pageURL string) (article.Article, error) {
	var u *url.URL
	if pageURL != "" {
		u, _ = url.Parse(pageURL)
	}
	res, err := extract.Extract(bytes.NewReader(data), u, int64(len(data))+1)
	if err != nil {
		return article.Article{}, reject("unreadable html", err)
	}
	return article.Article{URL: pageURL, Title: res.Title, Byline: res.Byline, Published: res.Published,
		Lang: res.Lang, Text: res.Text, Source: res.SiteName}, nil
}

// Text reads a plain-text article: the first non-blank line is the title.
func Text(data []byte) (article.Article, error) {
	if !utf8.Valid(data) {
		return article.Article{}, reject("invalid UTF-8", errors.New("text file is not UTF-8"))
	}
	s := strings.TrimLeft(string(data), " \t\r\n\ufeff")
	title, body, _ := strings.Cut(s, "\n")
	return article.Article{Title: strings.TrimSpace(title), Text: body}, nil
}

var timeLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	"2006-01-02", time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822, "Mon, 2 Jan 2006 15:04:05 -0700",
	"2 January 2006", "January 2, 2006", "2006/01/02",
}

// ParseTime accepts the time formats news data uses; times without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
