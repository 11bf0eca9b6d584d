package artifact

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func sample() *Data {
	return &Data{
		Places: []Place{
			{ID: 745044, Kind: KindCity, Name: "İstanbul", ASCII: "Istanbul", Alt: []string{"Constantinople"},
				FeatureCode: "PPLA", Country: "TR", Admin1: "34", Lat: 4101384, Lon: 2894966, Population: 15701602,
				Timezone: "Europe/Istanbul"},
			{ID: -1002, Kind: KindRegion, Name: "Kurdistan", ASCII: "Kurdistan", Members: []string{"IQ", "IR", "SY", "TR"}},
		},
		Countries: []Country{{ISO2: "TR", ISO3: "TUR", Numeric: 792, PlaceID: 298795, Name: "Turkey",
			Neighbours: []Border{{"IR", 53400}}, Rings: [][]int32{{0, 0, 10, 0, 10, 10, 0, 0}}}},
		Names:    []Name{{Key: "constantinople", Places: []uint32{0}}, {Key: "istanbul", Places: []uint32{0}}, {Key: "kurdistan", Places: []uint32{1}}},
		Demonyms: []Demonym{{Key: "kurdish", Form: "Kurdish", Places: []uint32{1}}},
		Labels:   []Label{{ID: 298795, Lat: 3906000, Lon: 3518000}},
	}
}

func TestRoundTrip(t *testing.T) {
	var a, b bytes.Buffer
	if err := Encode(&a, sample()); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("encoding is not deterministic")
	}
	got, err := Decode(a.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sample(), got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// FuzzDecode feeds the decoder arbitrary (decompressed) artifacts: it must return an
// error, never panic.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	if err := Encode(&buf, sample()); err != nil {
		f.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		f.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Fuzz(func(t *testing.T, raw []byte) {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw)
		zw.Close()
		Decode(gz.Bytes())
	})
}
