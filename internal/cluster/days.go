package cluster

import "strings"

// weekdays, lower case, in index order (Monday = 0).
var weekdays = [7]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// dayBefore and dayAfter are the words that make a weekday name refer to
// when something happened ("on Sunday", "late Friday", "Thursday night")
// rather than to a page's date stamp ("Monday, 28 November 2005").
var dayBefore = map[string]bool{"on": true, "last": true, "this": true, "since": true, "late": true,
	"early": true, "until": true, "by": true, "next": true, "from": true, "overnight": true}
var dayAfter = map[string]bool{"night": true, "morning": true, "afternoon": true, "evening": true,
	"nights": true, "mornings": true}

// eventDays counts the weekdays a text says things happened on: weekday
// names in running prose, preceded by a cue such as "on" or "late" or
// followed by "night", "morning", …. Reports of one event agree on its
// day; two similar events seldom fall on the same weekday. It scans for
// "day" and does not allocate.
func eventDays(text string) (days [7]float32, n int) {
	for off := 0; ; {
		i := strings.Index(text[off:], "day")
		if i < 0 {
			return days, n
		}
		end := off + i + 3
		off = end
		start := off - 3
		for start > 0 && isASCIILetter(text[start-1]) {
			start--
		}
		if end < len(text) && isASCIILetter(text[end]) {
			continue
		}
		d := -1
		for k, w := range weekdays {
			if strings.EqualFold(text[start:end], w) {
				d = k
				break
			}
		}
		if d < 0 {
			continue
		}
		if dayBefore[wordBefore(text, start)] || dayAfter[wordAfter(text, end)] {
			days[d]++
			n++
		}
	}
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// wordBefore returns the lower-case word just before position i, when only
// spaces separate them ("" otherwise or when it is long).
func wordBefore(s string, i int) string {
	j := i
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	if j == i {
		return ""
	}
	k := j
	for k > 0 && isASCIILetter(s[k-1]) {
		k--
	}
	return lowerShort(s[k:j])
}

// wordAfter is wordBefore's mirror.
func wordAfter(s string, i int) string {
	j := i
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j == i {
		return ""
	}
	k := j
	for k < len(s) && isASCIILetter(s[k]) {
		k++
	}
	return lowerShort(s[j:k])
}

// lowerShort lower-cases an ASCII word of at most 16 letters ("" for
// longer ones) on the stack.
func lowerShort(w string) string {
	if len(w) == 0 || len(w) > 16 {
		return ""
	}
	var b [16]byte
	for i := 0; i < len(w); i++ {
		b[i] = w[i] | 0x20
	}
	return string(b[:len(w)])
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
