package feeds

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16BE = []byte{0xFE, 0xFF}
	bomUTF16LE = []byte{0xFF, 0xFE}

	// xmlDecl matches an XML declaration and captures its encoding value.
	xmlDecl       = regexp.MustCompile(`^\s*<\?xml[^>]*?>`)
	xmlDeclEncRe  = regexp.MustCompile(`encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	xmlDeclEncAny = regexp.MustCompile(`\s+encoding\s*=\s*["'][^"']*["']`)
)

// latinLabels are single-byte encodings publishers often declare by mistake.
var latinLabels = map[string]bool{
	"iso-8859-1": true, "iso8859-1": true, "latin1": true, "iso-8859-15": true,
	"windows-1252": true, "cp1252": true, "us-ascii": true, "ascii": true,
}

// toUTF8 returns data as UTF-8 with any byte order mark removed and the XML
// declaration's encoding (if any) rewritten to match, so the XML parser never
// converts a second time. The encoding is decided, in order, by a byte order
// mark, UTF-16 without one, the declared encoding, and finally by validity:
// undeclared bytes that are not valid UTF-8 are read as windows-1252 (the
// superset of ISO-8859-1 that undeclared Western feeds use in practice), and
// valid UTF-8 declared as Latin-1 is kept as UTF-8.
func toUTF8(data []byte) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
	case bytes.HasPrefix(data, bomUTF16BE), bytes.HasPrefix(data, []byte{0x00, '<', 0x00}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, []byte{'<', 0x00, '?', 0x00}), bytes.HasPrefix(data, []byte{'<', 0x00, 'r', 0x00}), bytes.HasPrefix(data, []byte{'<', 0x00, 'f', 0x00}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	if enc != nil {
		if bytes.HasPrefix(data, bomUTF16BE) || bytes.HasPrefix(data, bomUTF16LE) {
			data = data[2:]
		}
		if out, _, err := transform.Bytes(enc.NewDecoder(), data); err == nil {
			return rewriteDecl(out)
		}
		return data
	}

	decl := xmlDecl.Find(data)
	declared := ""
	if m := xmlDeclEncRe.FindSubmatch(decl); m != nil {
		declared = strings.ToLower(string(m[1]))
	}
	switch declared {
	case "", "utf-8", "utf8":
		if utf8.Valid(data) {
			return data
		}
		if declared == "" {
			if out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), data); err == nil {
				return out
			}
		}
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	if latinLabels[declared] && utf8.Valid(data) {
		// A Latin-1 declaration on bytes that are valid UTF-8 (and so, if they
		// have any high bytes, almost certainly not Latin-1) is a publisher's
		// mistake: reading them as declared would produce mojibake.
		return rewriteDecl(data)
	}
	e, _ := charset.Lookup(declared)
	if e == nil {
		// Unknown label: hope it is ASCII-compatible and keep what is valid.
		return rewriteDecl(bytes.ToValidUTF8(data, []byte("\uFFFD")))
	}
	out, _, err := transform.Bytes(e.NewDecoder(), data)
	if err != nil {
		return rewriteDecl(bytes.ToValidUTF8(data, []byte("\uFFFD")))
	}
	return rewriteDecl(out)
}

// rewriteDecl drops the encoding pseudo-attribute from a leading XML
// declaration of a document that is now UTF-8.
func rewriteDecl(data []byte) []byte {
	loc := xmlDecl.FindIndex(data)
	if loc == nil {
		return data
	}
	decl := xmlDeclEncAny.ReplaceAll(data[loc[0]:loc[1]], nil)
	out := make([]byte, 0, len(data))
	out = append(out, data[:loc[0]]...)
	out = append(out, decl...)
	return append(out, data[loc[1]:]...)
}
