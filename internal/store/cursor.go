package store

import (
	"encoding/base64"
	"encoding/json"
)

// EncodeCursor makes an opaque page cursor of a small struct: base64url of
// its JSON.
func EncodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor EncodeCursor made into v; ErrCursor when s is
// not one.
func DecodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ErrCursor
	}
	if err := json.Unmarshal(b, v); err != nil {
		return ErrCursor
	}
	return nil
}

// ArticleCursor is the position of an article page: keyset (sort time in
// unix seconds, seq) for listings, an offset for relevance-ranked search.
// Every backend issues cursors of this one form.
type ArticleCursor struct {
	T   int64  `json:"t,omitempty"`
	S   int64  `json:"s,omitempty"`
	Off int    `json:"o,omitempty"`
	Q   string `json:"q,omitempty"` // the query the cursor belongs to
}

// Encode makes the opaque string form of c.
func (c ArticleCursor) Encode() string { return EncodeCursor(c) }

// StoryCursor is the keyset position of a story page: the last story's
// LastSeen in unix seconds and its ID.
type StoryCursor struct {
	T  int64  `json:"t"`
	ID string `json:"i"`
}

// Encode makes the opaque string form of c.
func (c StoryCursor) Encode() string { return EncodeCursor(c) }
