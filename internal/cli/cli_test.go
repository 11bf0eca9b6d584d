package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/sharedtest"
)

// run executes one command in-process and returns its exit code and output.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Version: "test",
		Getenv: func(k string) string { return env[k] }}
	code := m.Run(context.Background(), args)
	return code, out.String(), errb.String()
}

func TestHelpForEveryCommand(t *testing.T) {
	for name := range commands() {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, nil, "", name, "--help")
			if code != 0 || !strings.Contains(stderr, "Usage: vantage "+name) || !strings.Contains(stderr, "-db") {
				t.Errorf("%s --help: code %d, stderr %q", name, code, stderr)
			}
		})
	}
	if code, _, stderr := run(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
	if code, _, _ := run(t, nil, ""); code != 2 {
		t.Errorf("no command: code %d, want 2", code)
	}
	if code, _, stderr := run(t, nil, "", "stats", "--no-such-flag"); code != 2 || !strings.Contains(stderr, "no-such-flag") {
		t.Errorf("bad flag: %d %q", code, stderr)
	}
}

func TestIngestTwiceAndStats(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "v.db")
	jsonl := filepath.Join(dir, "in.jsonl")
	body := `{"url":"https://x.example/1","title":"One","text":"First article."}
{"url":"https://x.example/2","title":"Two","text":"Second article."}
{broken
{"url":"https://x.example/1?utm_source=feed","title":"One again","text":"Same URL."}
`
	if err := os.WriteFile(jsonl, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, nil, "", "ingest", "--db", db, jsonl)
	if code != 0 || !strings.Contains(out, "read 4, new 2, duplicate 1, rejected 1 (malformed JSON: 1)") || !strings.Contains(out, "in.jsonl:3") {
		t.Fatalf("first ingest: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, map[string]string{"VANTAGE_DB": db}, "", "ingest", jsonl)
	if code != 0 || !strings.Contains(out, "new 0, duplicate 3") {
		t.Fatalf("second ingest via VANTAGE_DB: %d %q", code, out)
	}
	code, out, _ = run(t, nil, `{"title":"From stdin","text":"piped"}`, "ingest", "--db", db, "--json", "-")
	var sum struct{ New int }
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.New != 1 {
		t.Fatalf("stdin ingest: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "", "stats", "--db", db)
	var st struct{ Articles, Feeds int }
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Articles != 3 {
		t.Fatalf("stats: %d %q", code, out)
	}
}

func TestDemoLoadOnly(t *testing.T) {
	code, out, stderr := run(t, nil, "", "demo", "--load-only")
	if code != 0 || !strings.Contains(out, "rejected 0") || !strings.Contains(out, "Loaded the demo sample") {
		t.Fatalf("demo --load-only: %d %q %q", code, out, stderr)
	}
	code, out, _ = run(t, nil, "", "demo", "--about")
	if code != 0 || !strings.Contains(out, "CC0") {
		t.Fatalf("demo --about: %d %q", code, out)
	}
}

func TestExtractFile(t *testing.T) {
	page := filepath.Join(t.TempDir(), "p.html")
	html := `<html lang="en"><head><title>Pact signed | Example News</title><meta property="article:published_time" content="2023-03-19T10:00:00Z"></head>
<body><article><h1>Pact signed</h1><p>Iraq and Iran signed a border security agreement in Baghdad on Sunday, officials said.</p>
<p>The agreement commits both governments to coordinate on the shared border.</p></article></body></html>`
	os.WriteFile(page, []byte(html), 0o644)
	code, out, stderr := run(t, nil, "", "extract", page)
	var res struct{ Title, Lang, Text, Published string }
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil {
		t.Fatalf("extract: %d %q %q", code, out, stderr)
	}
	if !strings.Contains(res.Text, "border security agreement") || res.Lang != "en" || !strings.HasPrefix(res.Published, "2023-03-19") {
		t.Errorf("extract result = %+v", res)
	}
	if code, _, stderr := run(t, nil, "", "extract", "http://127.0.0.1:1/x"); code != 1 || !strings.Contains(stderr, "non-public") {
		t.Errorf("extract of a loopback URL: %d %q", code, stderr)
	}
}

func TestConfigFileUnknownKey(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "v.toml")
	os.WriteFile(cfg, []byte("dbpath = \"x.db\"\n"), 0o644)
	code, _, stderr := run(t, nil, "", "stats", "--config", cfg)
	if code != 2 || !strings.Contains(stderr, `unknown key "dbpath"`) {
		t.Errorf("unknown config key: %d %q", code, stderr)
	}
}

// TestWikinewsIngest loads the real 5,748-article corpus twice: all stored, the
// second run adds nothing.
func TestWikinewsIngest(t *testing.T) {
	corpus := sharedtest.Path(t, "data/demo-corpus/wikinews.jsonl")
	if testing.Short() {
		t.Skip("slow: loads 5,748 articles")
	}
	db := filepath.Join(t.TempDir(), "wn.db")
	code, out, stderr := run(t, nil, "", "ingest", "--db", db, "--json", corpus)
	var sum struct{ Read, New, Duplicate, Rejected int }
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil {
		t.Fatalf("ingest: %d %q %q", code, out, stderr)
	}
	if sum.Read != 5748 || sum.New != 5748 || sum.Rejected != 0 {
		t.Errorf("first wikinews ingest: %+v, want 5748 read and new", sum)
	}
	code, out, _ = run(t, nil, "", "ingest", "--db", db, "--json", corpus)
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.New != 0 || sum.Duplicate != 5748 {
		t.Errorf("second wikinews ingest: %d %+v, want 0 new", code, sum)
	}
	code, out, _ = run(t, nil, "", "stats", "--db", db)
	if code != 0 || !strings.Contains(out, `"articles": 5748`) {
		t.Errorf("stats after wikinews: %q", out)
	}
}

func TestAnalyze(t *testing.T) {
	in := `{"id":"p1","title":"Parliament passes new immigration law","text":"Lawmakers approved the bill after a long debate, and the government said the new rules take effect next year."}
{oops
`
	code, out, stderr := run(t, nil, in, "analyze")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("analyze: %d %q %q", code, out, stderr)
	}
	var first struct {
		ID     string
		Topics []struct{ Slug string }
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	slugs := map[string]bool{}
	for _, tp := range first.Topics {
		slugs[tp.Slug] = true
	}
	if first.ID != "p1" || !slugs["politics"] {
		t.Errorf("first line = %s", lines[0])
	}
	if !strings.Contains(lines[1], `"error":"stdin:2: malformed JSON`) {
		t.Errorf("bad line not reported: %s", lines[1])
	}
}
