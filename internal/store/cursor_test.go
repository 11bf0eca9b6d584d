package store_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/vantage-news/vantage/internal/store"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []store.ArticleCursor{{}, {T: 1679220000, S: 42}, {Off: 40, Q: `"border pact"`}, {T: -5, S: 1, Q: "é"}} {
		var got store.ArticleCursor
		if err := store.DecodeCursor(c.Encode(), &got); err != nil || got != c {
			t.Errorf("article cursor %+v: decoded %+v, %v", c, got, err)
		}
	}
	for _, c := range []store.StoryCursor{{}, {T: 1679220000, ID: "s-1"}} {
		var got store.StoryCursor
		if err := store.DecodeCursor(c.Encode(), &got); err != nil || got != c {
			t.Errorf("story cursor %+v: decoded %+v, %v", c, got, err)
		}
	}
}

// TestCursorForm: cursors keep the form earlier releases issued, so pages a
// client holds stay valid.
func TestCursorForm(t *testing.T) {
	tests := []struct {
		cursor interface{ Encode() string }
		json   string
	}{
		{store.ArticleCursor{T: 1, S: 2}, `{"t":1,"s":2}`},
		{store.ArticleCursor{Off: 20, Q: "x"}, `{"o":20,"q":"x"}`},
		{store.ArticleCursor{}, `{}`},
		{store.StoryCursor{T: 3, ID: "a"}, `{"t":3,"i":"a"}`},
		{store.StoryCursor{}, `{"t":0,"i":""}`},
	}
	for _, tt := range tests {
		if got, want := tt.cursor.Encode(), base64.RawURLEncoding.EncodeToString([]byte(tt.json)); got != want {
			t.Errorf("%+v encodes as %q, want %q (%s)", tt.cursor, got, want, tt.json)
		}
	}
}

func TestDecodeCursorErrors(t *testing.T) {
	for _, s := range []string{
		"garbage!",
		"not a cursor!",
		base64.StdEncoding.EncodeToString([]byte(`{"t":1}`)), // padded: not ours
		base64.RawURLEncoding.EncodeToString([]byte(`{"t":`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"t":"x"}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`[1]`)),
	} {
		var c store.ArticleCursor
		if err := store.DecodeCursor(s, &c); !errors.Is(err, store.ErrCursor) {
			t.Errorf("DecodeCursor(%q) = %v, want ErrCursor", s, err)
		}
	}
}
