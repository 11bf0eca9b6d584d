package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func collect(t *testing.T, seq func(func(Record) bool)) []Record {
	t.Helper()
	var out []Record
	for r := range seq {
		out = append(out, r)
	}
	return out
}

func TestJSONLines(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a1","url":"https://x.example/1","title":"One","published":"2024-03-01","text":"First."}`,
		``,
		`{"title":"Two","published":"2024-03-02T10:00:00Z","text":"Second.","source":"Wire","author":"Ann"}`,
		`{"title": "broken"`,
		`{"title":"Bad date","published":"yesterday-ish","text":"x"}`,
		`["not an object"]`,
		`{"title":"Three","html":"<html><body><article><p>Third paragraph from HTML, long enough to count as text for the extractor.</p></article></body></html>"}`,
		`{"a":1} {"b":2}`,
		"{\"title\":\"bad utf8 \xff\"}",
	}, "\n")
	recs := collect(t, JSONLines(context.Background(), strings.NewReader(in), "in.jsonl", Options{}))
	if len(recs) != 8 {
		t.Fatalf("got %d records, want 8", len(recs))
	}
	if recs[0].Err != nil || recs[0].Article.ID != "a1" || !recs[0].Article.Published.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("record 0 = %+v", recs[0])
	}
	if recs[1].Err != nil || recs[1].Article.Byline != "Ann" || recs[1].Where != "in.jsonl:3" {
		t.Errorf("record 1 = %+v", recs[1])
	}
	wantReasons := map[int]string{2: "malformed JSON", 3: "bad published time", 4: "malformed JSON", 6: "malformed JSON", 7: "invalid UTF-8"}
	for i, reason := range wantReasons {
		if recs[i].Err == nil || Reason(recs[i].Err) != reason {
			t.Errorf("record %d: err %v, want reason %q", i, recs[i].Err, reason)
		}
	}
	if recs[5].Err != nil || !strings.Contains(recs[5].Article.Text, "Third paragraph") {
		t.Errorf("html record = %+v", recs[5])
	}
}

func TestJSONLinesTooLong(t *testing.T) {
	long := `{"title":"` + strings.Repeat("x", 200) + `"}`
	in := long + "\n" + `{"title":"ok","text":"fine"}` + "\n"
	recs := collect(t, JSONLines(context.Background(), strings.NewReader(in), "x", Options{MaxLineBytes: 100}))
	if len(recs) != 2 || Reason(recs[0].Err) != "line too long" || recs[1].Err != nil || recs[1].Article.Title != "ok" {
		t.Fatalf("records = %+v", recs)
	}
}

func TestPathsDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.jsonl", `{"title":"J","text":"json"}`+"\n")
	write("b.txt", "\n\nText title\nBody line one.\nBody line two.\n")
	write("c.html", `<html lang="en"><head><title>Page title</title></head><body><article><h1>Page title</h1><p>A paragraph of the page body that is long enough to be the main text of this page.</p></article></body></html>`)
	write("d.rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>Chan</title><item><title>Item 1</title><link>https://x.example/i1</link><description>Desc one.</description></item><item><title>Item 2</title><link>https://x.example/i2</link><description>Desc two.</description></item></channel></rss>`)
	write("e.bin", "ignored")
	write(".hidden/f.jsonl", `{"title":"hidden"}`)
	write("big.txt", strings.Repeat("x", 2000))
	recs := collect(t, Paths(context.Background(), []string{dir, filepath.Join(dir, "missing.jsonl")}, nil, Options{MaxFileBytes: 1000}))
	var titles []string
	for _, r := range recs {
		if r.Err != nil {
			titles = append(titles, "ERR:"+Reason(r.Err))
			continue
		}
		titles = append(titles, r.Article.Title)
	}
	got := strings.Join(titles, "|")
	for _, w := range []string{"J", "Text title", "ERR:too large", "Page title", "Item 1", "Item 2", "ERR:unreadable file"} {
		if !strings.Contains(got, w) {
			t.Errorf("records %q lack %q", got, w)
		}
	}
	if strings.Contains(got, "hidden") || strings.Contains(got, "ignored") {
		t.Errorf("hidden or unknown files read: %q", got)
	}
}

func TestStdin(t *testing.T) {
	recs := collect(t, Paths(context.Background(), []string{"-"}, strings.NewReader(`{"title":"from stdin","text":"x"}`), Options{}))
	if len(recs) != 1 || recs[0].Article.Title != "from stdin" {
		t.Fatalf("records = %+v", recs)
	}
}

func TestParseTime(t *testing.T) {
	for _, s := range []string{"2024-05-01", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00+02:00", "Wed, 01 May 2024 10:00:00 GMT", "2024-05-01 10:00:00"} {
		if _, err := ParseTime(s); err != nil {
			t.Errorf("ParseTime(%q): %v", s, err)
		}
	}
	if _, err := ParseTime("soon"); err == nil {
		t.Error("ParseTime(soon) gave no error")
	}
}

func TestRejectError(t *testing.T) {
	base := errors.New("boom")
	err := reject("too large", base)
	if !errors.Is(err, base) || Reason(err) != "too large" || Reason(base) != "error" {
		t.Errorf("reject wrapping broken: %v", err)
	}
}

func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"title":"a","text":"b","published":"2024-01-01"}`))
	f.Add([]byte("{\"html\":\"<p>x</p>\"}\n\n{"))
	f.Add([]byte(`{"published":"Mon, 02 Jan 2006 15:04:05 -0700"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for r := range JSONLines(context.Background(), strings.NewReader(string(data)), "fuzz", Options{MaxLineBytes: 1 << 16}) {
			if r.Err == nil && r.Where == "" {
				t.Fatal("record without location")
			}
		}
	})
}
