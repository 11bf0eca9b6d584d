package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseOPML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Subscription
		wantErr error
	}{
		{
			name: "nested folders, title and text, duplicate",
			in: `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
				<outline text="Top" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>
				<outline text="News" title="News &amp; Politics">
					<outline title="B" text="ignored" type="rss" xmlUrl="https://b.example/rss"/>
					<outline text="Europe">
						<outline text="C" xmlURL="https://c.example/atom"/>
					</outline>
					<outline text="D" xmlurl="https://d.example/feed.json"/>
				</outline>
				<outline text="A again" xmlUrl="https://a.example/feed"/>
				<outline text="Tagged" category="/Boston/Weather,/Harvard" xmlUrl="https://e.example/rss"/>
				<outline text="just a note"/>
			</body></opml>`,
			want: []Subscription{
				{URL: "https://a.example/feed", Title: "Top", SiteURL: "https://a.example/"},
				{URL: "https://b.example/rss", Title: "B", Category: "News & Politics"},
				{URL: "https://c.example/atom", Title: "C", Category: "Europe"},
				{URL: "https://d.example/feed.json", Title: "D", Category: "News & Politics"},
				{URL: "https://e.example/rss", Title: "Tagged", Category: "Weather"},
			},
		},
		{
			name: "empty body",
			in:   `<opml version="1.0"><head/><body/></opml>`,
		},
		{
			name:    "not opml",
			in:      `<rss version="2.0"><channel/></rss>`,
			wantErr: ErrNotOPML,
		},
		{
			name:    "empty input",
			in:      ``,
			wantErr: ErrNotOPML,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseOPML(strings.NewReader(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	subs := []Subscription{
		{URL: "https://a.example/feed", Title: "A <&> \"quoted\"", SiteURL: "https://a.example/"},
		{URL: "https://b.example/rss?x=1&y=2", Title: "B", Category: "World"},
		{URL: "https://c.example/atom", Title: "C", Category: "Tech"},
		{URL: "https://d.example/feed", Title: "D", Category: "World"},
		{URL: "https://e.example/feed", Title: "Ünïcödé 日本"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "Vantage subscriptions", subs); err != nil {
		t.Fatal(err)
	}
	// Valid XML with an OPML 2.0 root and the title in the head.
	var doc struct {
		XMLName xml.Name
		Version string `xml:"version,attr"`
		Title   string `xml:"head>title"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, buf.String())
	}
	if doc.XMLName.Local != "opml" || doc.Version != "2.0" || doc.Title != "Vantage subscriptions" {
		t.Errorf("head = %+v", doc)
	}
	got, err := ParseOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Output groups by category: uncategorised A, World folder (B, D), Tech, E.
	want := []Subscription{subs[0], subs[1], subs[3], subs[2], subs[4]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseOPMLRealWorld(t *testing.T) {
	dir := sharedDir(t, "data/feeds/real-world/rsparser/opml")
	tests := []struct {
		file       string
		subs       int
		categories map[string]int
	}{
		{"Subs.opml", 207, map[string]int{"": 69, "Programming": 33, "Macintosh": 5, "Weblogs": 97, "Writers": 3}},
		{"SubsNoTitleAttributes.opml", 207, map[string]int{"": 69, "Programming": 33, "Macintosh": 5, "Weblogs": 97, "Writers": 3}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			subs, err := ParseOPML(f)
			if err != nil {
				t.Fatal(err)
			}
			got := make(map[string]int)
			for _, s := range subs {
				if s.URL == "" || s.Title == "" {
					t.Errorf("incomplete subscription %+v", s)
				}
				got[s.Category]++
			}
			t.Logf("%s: %d subscriptions by category %v", tt.file, len(subs), got)
			if len(subs) != tt.subs {
				t.Errorf("%d subscriptions, want %d", len(subs), tt.subs)
			}
			if tt.categories != nil {
				if diff := cmp.Diff(tt.categories, got); diff != "" {
					t.Errorf("categories (-want +got):\n%s", diff)
				}
			}
			// What we read, we can write and read back.
			var buf bytes.Buffer
			if err := WriteOPML(&buf, "x", subs); err != nil {
				t.Fatal(err)
			}
			again, err := ParseOPML(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != len(subs) {
				t.Errorf("round trip kept %d of %d", len(again), len(subs))
			}
		})
	}
}
