package normalize

import (
	"strings"
	"testing"

	"github.com/vantage-news/vantage/internal/article"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a/b/?utm_source=x&b=2&a=1#frag", "https://example.com/a/b?a=1&b=2"},
		{"http://example.com:80/", "https://example.com"},
		{"https://example.com:8443/x?fbclid=1", "https://example.com:8443/x"},
		{"HTTPS://EXAMPLE.com/Path", "https://example.com/Path"},
		{"https://user:pw@example.com/p?ref=rss", "https://example.com/p"},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if err != nil {
			t.Fatalf("CanonicalURL(%q): %v", tt.in, err)
		}
		if got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"not a url", "/relative/path", "://x", ""} {
		if _, err := CanonicalURL(bad); err == nil {
			t.Errorf("CanonicalURL(%q) gave no error", bad)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"soft wraps joined", "One line\nwraps here.\n\nSecond  para.", "One line wraps here.\n\nSecond para."},
		{"boilerplate dropped", "Advertisement\n\nReal text.\n\nShare this article", "Real text."},
		{"crlf and nbsp", "A\u00a0b\r\n\r\nC", "A b\n\nC"},
		{"NFC", "Cafe\u0301", "Café"},
		{"control chars", "a\x00b\x07c", "abc"},
		{"empty", " \n\n \n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContentHashIgnoresFormatting(t *testing.T) {
	a := ContentHash("Iran and Iraq sign pact", "The two   countries signed.\n\nMore.")
	b := ContentHash("IRAN and Iraq sign pact!", "The two countries signed. More")
	if a != b {
		t.Errorf("hashes differ for formatting-only changes")
	}
	if a == ContentHash("Iran and Iraq sign pact", "The two countries did not sign.") {
		t.Errorf("hash equal for different text")
	}
}

func TestArticle(t *testing.T) {
	a := article.Article{URL: "http://www.example.com/x?utm_medium=rss", Title: "  Hello\tworld ", Text: "Body text."}
	if err := Article(&a); err != nil {
		t.Fatal(err)
	}
	if a.Title != "Hello world" || a.CanonicalURL != "https://example.com/x" || !strings.HasPrefix(a.ID, "a-") || len(a.ContentHash) != 64 {
		t.Errorf("unexpected normalised article: %+v", a)
	}
	b := article.Article{URL: "https://example.com/x", Title: "Other", Text: "Other."}
	if err := Article(&b); err != nil {
		t.Fatal(err)
	}
	if a.ID != b.ID {
		t.Errorf("same canonical URL gave IDs %q and %q", a.ID, b.ID)
	}
	empty := article.Article{Title: " ", Text: "\n"}
	if err := Article(&empty); err != ErrEmpty {
		t.Errorf("empty article: err = %v, want ErrEmpty", err)
	}
	huge := article.Article{Title: "x", Text: strings.Repeat("a", MaxTextBytes+1)}
	if err := Article(&huge); err == nil {
		t.Errorf("huge article accepted")
	}
	keep := article.Article{ID: "wn-1", Title: "t", Text: "x"}
	if err := Article(&keep); err != nil || keep.ID != "wn-1" {
		t.Errorf("given ID not kept: %q %v", keep.ID, err)
	}
}
