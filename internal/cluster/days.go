package cluster

// weekdayIndex maps weekday names (lower case) to 0..6.
var weekdayIndex = map[string]int{"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
	"friday": 4, "saturday": 5, "sunday": 6}

// dayCues are the words that make a weekday name refer to when something
// happened ("on Sunday", "late Friday", "Thursday night") rather than to a
// page's date stamp ("Monday, 28 November 2005").
var dayBefore = map[string]bool{"on": true, "last": true, "this": true, "since": true, "late": true,
	"early": true, "until": true, "by": true, "next": true, "from": true, "overnight": true}
var dayAfter = map[string]bool{"night": true, "morning": true, "afternoon": true, "evening": true,
	"nights": true, "mornings": true}

// eventDays counts the weekdays a text says things happened on: weekday
// names in running prose, preceded by a cue such as "on" or "late" or
// followed by "night", "morning", …. Reports of one event agree on its
// day; two similar events rarely fall on the same weekday.
func eventDays(text string) (days [7]float32, n int) {
	ws := words(text)
	for i, w := range ws {
		d, ok := weekdayIndex[w]
		if !ok {
			continue
		}
		if (i > 0 && dayBefore[ws[i-1]]) || (i+1 < len(ws) && dayAfter[ws[i+1]]) {
			days[d]++
			n++
		}
	}
	return days, n
}

// dayOverlap is the overlap (0..1) of two weekday distributions.
func dayOverlap(a, b *[7]float32) float64 {
	var sa, sb float64
	for i := range a {
		sa += float64(a[i])
		sb += float64(b[i])
	}
	if sa == 0 || sb == 0 {
		return 0
	}
	ov := 0.0
	for i := range a {
		ov += min(float64(a[i])/sa, float64(b[i])/sb)
	}
	return ov
}
