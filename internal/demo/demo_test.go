package demo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// report mirrors one line of sample.jsonl.
type report struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Published string   `json:"published"`
	Source    string   `json:"source"`
	License   string   `json:"license"`
	Text      string   `json:"text"`
	Event     string   `json:"event"`
	Countries []string `json:"countries"`
	Topic     string   `json:"topic"`
}

var topics = map[string]bool{
	"politics": true, "elections": true, "diplomacy": true, "policy-and-legislation": true,
	"conflict-war-peace": true, "disaster-accident": true, "economy-business-finance": true,
	"health": true, "environment": true, "science-technology": true, "sport": true,
	"arts-culture-entertainment": true, "crime-law-justice": true, "human-interest": true,
}

var (
	countryCode = regexp.MustCompile(`^[A-Z]{2}$`)
	eventSlug   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func loadSample(t *testing.T) []report {
	t.Helper()
	sc := bufio.NewScanner(Sample())
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	var out []report
	line := 0
	for sc.Scan() {
		line++
		raw := sc.Bytes()
		if len(strings.TrimSpace(string(raw))) == 0 {
			t.Fatalf("line %d: blank line", line)
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.DisallowUnknownFields()
		var r report
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sentences(text string) []string {
	flat := strings.Join(strings.Fields(text), " ")
	var out []string
	for _, s := range strings.Split(flat, ". ") {
		s = strings.TrimSuffix(strings.TrimSpace(s), ".")
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestSampleLines(t *testing.T) {
	rs := loadSample(t)
	ids := map[string]bool{}
	urls := map[string]bool{}
	for i, r := range rs {
		where := fmt.Sprintf("line %d (%s)", i+1, r.ID)
		for name, v := range map[string]string{
			"id": r.ID, "url": r.URL, "title": r.Title, "published": r.Published, "source": r.Source,
			"license": r.License, "text": r.Text, "event": r.Event, "topic": r.Topic,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: field %s is empty", where, name)
			}
		}
		if want := fmt.Sprintf("demo-%03d", i+1); r.ID != want {
			t.Errorf("%s: id %q, want %q", where, r.ID, want)
		}
		if ids[r.ID] {
			t.Errorf("%s: duplicate id", where)
		}
		ids[r.ID] = true
		if urls[r.URL] {
			t.Errorf("%s: duplicate url %s", where, r.URL)
		}
		urls[r.URL] = true
		if !strings.HasPrefix(r.URL, "https://demo.vantage.invalid/") {
			t.Errorf("%s: url %q is not under https://demo.vantage.invalid/", where, r.URL)
		}
		p, err := time.Parse(time.RFC3339, r.Published)
		if err != nil {
			t.Errorf("%s: published: %v", where, err)
		} else if p.Year() < 2015 || p.Year() > 2025 {
			t.Errorf("%s: published %s outside 2015-2025", where, r.Published)
		}
		if r.License != "CC0 — written for the Vantage demo" {
			t.Errorf("%s: license %q", where, r.License)
		}
		if n := len(strings.Fields(r.Text)); n < 60 || n > 260 {
			t.Errorf("%s: text has %d words, want 60-260", where, n)
		}
		if n := len(strings.Split(r.Text, "\n\n")); n < 2 || n > 4 {
			t.Errorf("%s: text has %d paragraphs, want 2-4", where, n)
		}
		if !eventSlug.MatchString(r.Event) {
			t.Errorf("%s: event %q is not a slug", where, r.Event)
		}
		if !topics[r.Topic] {
			t.Errorf("%s: unknown topic %q", where, r.Topic)
		}
		if len(r.Countries) == 0 {
			t.Errorf("%s: no countries", where)
		}
		for _, c := range r.Countries {
			if !countryCode.MatchString(c) {
				t.Errorf("%s: country %q is not an ISO 3166-1 alpha-2 code", where, c)
			}
		}
	}
}

func TestSampleCoverage(t *testing.T) {
	rs := loadSample(t)
	if len(rs) < 72 {
		t.Errorf("%d articles, want at least 72", len(rs))
	}

	byEvent := map[string][]report{}
	countries := map[string]bool{}
	topicSeen := map[string]bool{}
	sources := map[string]bool{}
	for _, r := range rs {
		byEvent[r.Event] = append(byEvent[r.Event], r)
		if len(r.Countries) > 0 {
			countries[r.Countries[0]] = true
		}
		topicSeen[r.Topic] = true
		sources[r.Source] = true
	}

	multi := 0
	for ev, group := range byEvent {
		if len(group) > 5 {
			t.Errorf("event %s has %d reports, want at most 5", ev, len(group))
		}
		if len(group) < 2 {
			continue
		}
		src := map[string]bool{}
		for _, r := range group {
			src[r.Source] = true
		}
		if len(src) != len(group) {
			t.Errorf("event %s: %d reports but only %d distinct sources", ev, len(group), len(src))
		}
		if len(src) >= 2 {
			multi++
		}
	}
	if multi < 18 {
		t.Errorf("%d events reported at least twice by distinct sources, want at least 18", multi)
	}
	if len(countries) < 35 {
		t.Errorf("%d distinct main countries, want at least 35", len(countries))
	}
	if len(topicSeen) < 6 {
		t.Errorf("%d distinct topics, want at least 6", len(topicSeen))
	}
	if len(sources) < 5 || len(sources) > 6 {
		t.Errorf("%d sources, want 5 or 6", len(sources))
	}
	t.Logf("%d articles, %d events, %d multi-report events, %d countries, %d topics",
		len(rs), len(byEvent), multi, len(countries), len(topicSeen))
}

// TestSameEventReportsDiffer checks that reports of one event are written independently: they share no
// sentence verbatim, have different titles, and were published within three days of each other.
func TestSameEventReportsDiffer(t *testing.T) {
	byEvent := map[string][]report{}
	for _, r := range loadSample(t) {
		byEvent[r.Event] = append(byEvent[r.Event], r)
	}
	for ev, group := range byEvent {
		for i := range group {
			for j := i + 1; j < len(group); j++ {
				a, b := group[i], group[j]
				if a.Title == b.Title {
					t.Errorf("event %s: %s and %s share a title", ev, a.ID, b.ID)
				}
				seen := map[string]bool{}
				for _, s := range sentences(a.Text) {
					seen[s] = true
				}
				for _, s := range sentences(b.Text) {
					if seen[s] {
						t.Errorf("event %s: %s and %s share the sentence %q", ev, a.ID, b.ID, s)
					}
				}
				pa, errA := time.Parse(time.RFC3339, a.Published)
				pb, errB := time.Parse(time.RFC3339, b.Published)
				if errA != nil || errB != nil {
					continue
				}
				if d := pa.Sub(pb).Abs(); d > 72*time.Hour {
					t.Errorf("event %s: %s and %s are %v apart, want at most 3 days", ev, a.ID, b.ID, d)
				}
			}
		}
	}
}

func TestAbout(t *testing.T) {
	about := About()
	for _, want := range []string{"CC0", "Vantage"} {
		if !strings.Contains(about, want) {
			t.Errorf("About() does not mention %q", want)
		}
	}
}
