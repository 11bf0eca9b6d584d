package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// metaCharset finds a charset declaration in a <meta> tag anywhere in the document head,
// beyond the 1024 bytes the HTML prescan algorithm looks at.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// decode returns the page as UTF-8. The encoding comes from a byte-order mark, a <meta>
// declaration, or, failing those, a guess: valid UTF-8 stays as it is, anything else is
// read as windows-1252.
func decode(raw []byte) string {
	enc, name, certain := charset.DetermineEncoding(raw, "")
	if !certain {
		if m := metaCharset.FindSubmatch(raw[:min(len(raw), 64<<10)]); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil {
				enc, name = e, n
			}
		}
	}
	// A page declared as Latin-1 or UTF-16 but actually valid UTF-8 (common when a proxy
	// re-encoded it, or when the declaration is stale) is read as UTF-8.
	if name != "utf-8" && !strings.HasPrefix(name, "utf-16") && utf8.Valid(raw) && hasMultibyte(raw) {
		enc = unicode.UTF8
	}
	if enc == nil || enc == encoding.Nop || enc == unicode.UTF8 {
		return toValidUTF8(raw)
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return toValidUTF8(raw)
	}
	return toValidUTF8(out)
}

// hasMultibyte reports whether b holds any non-ASCII byte.
func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// toValidUTF8 strips a UTF-8 byte-order mark and replaces invalid sequences with U+FFFD.
func toValidUTF8(b []byte) string {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
