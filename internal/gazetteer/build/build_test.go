package build

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseBorders(t *testing.T) {
	got := parseBorders("Democratic Republic of the Congo 2,646 km (of which 225 km is Cabinda); Republic of the Congo 231 km, Zambia 0.15 km")
	want := []borderLen{{"Democratic Republic of the Congo", 2646}, {"Republic of the Congo", 231}, {"Zambia", 0.15}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(borderLen{})); diff != "" {
		t.Errorf("parseBorders (-want +got):\n%s", diff)
	}
}

func TestDemonymForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Turk(s)", []string{"Turk", "Turks"}},
		{"Motswana (singular), Batswana (plural)", []string{"Motswana", "Batswana"}},
		{"Barbadian(s) or Bajan (colloquial)", []string{"Barbadian", "Barbadians", "Bajan"}},
		{"Swati; note - former term, Swazi", []string{"Swati"}},
		{"NA", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, demonymForms(tt.in)); diff != "" {
			t.Errorf("demonymForms(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestUsableAlt(t *testing.T) {
	tests := map[string]bool{"Constantinople": true, "Stambul": true, "IST": false, "LTBA": false,
		"Istanbul 34": false, "Стамбул": false, "伊斯坦布尔": false, "": false, "Île-de-France": true}
	for in, want := range tests {
		if got := usableAlt(in); got != want {
			t.Errorf("usableAlt(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestSimplifyRing(t *testing.T) {
	// A square with a nearly collinear extra point on each side.
	ring := [][2]float64{{0, 0}, {0.5, 0.001}, {1, 0}, {1, 1}, {0.5, 1.001}, {0, 1}, {0, 0}}
	got := simplifyRing(ring, 0.01)
	want := [][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("simplifyRing (-want +got):\n%s", diff)
	}
	if simplifyRing([][2]float64{{0, 0}, {1, 0}, {0, 0}}, 0.01) != nil {
		t.Error("degenerate ring kept")
	}
}

func TestNEName(t *testing.T) {
	for in, want := range map[string]string{"ZAGROS MOUNTAINS": "Zagros Mountains", "BALKAN PEN.": "Balkan Peninsula",
		"GULF OF ADEN": "Gulf of Aden", "Taurus Mts.": "Taurus Mountains", "Bab el Mandeb": "Bab el Mandeb"} {
		if got := neName(in); got != want {
			t.Errorf("neName(%q) = %q, want %q", in, got, want)
		}
	}
}
