package cluster

import "testing"

func TestEventDays(t *testing.T) {
	for _, c := range []struct {
		text string
		want [7]float32
	}{
		{"The fire broke out on Friday. Crews worked through Friday night.", [7]float32{4: 2}},
		{"Last Updated: Monday, 28 November 2005\nA quake struck late Sunday.", [7]float32{6: 1}}, // a date stamp is not an event day
		{"Sunday is a day of rest.", [7]float32{}},
		{"Voting began early Sunday and ends on Monday", [7]float32{0: 1, 6: 1}},
	} {
		if got, _ := eventDays(c.text); got != c.want {
			t.Errorf("eventDays(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	a, b := [7]float32{4: 2}, [7]float32{4: 1, 5: 1}
	if ov := dayOverlap(&a, &b); ov != 0.5 {
		t.Errorf("overlap %v, want 0.5", ov)
	}
	if ov := dayOverlap(&a, &[7]float32{}); ov != 0 {
		t.Errorf("overlap with nothing %v, want 0", ov)
	}
}

func TestDayDefaults(t *testing.T) {
	e := New(Options{})
	if o := e.Options(); o.UndatedThreshold != 0.19 || o.Threshold != 0.15 || o.DayWeight != 0.3 || o.DayBase != 0.5 ||
		o.MergeRatio != 1.6 || o.UndatedMergeRatio != 2 {
		t.Fatalf("defaults %+v", o)
	}
	if New(Options{DayWeight: -1}).Options().DayWeight > 0 {
		t.Fatal("negative DayWeight should disable weekdays")
	}
}
