package feeds

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date strings gofeed's parser gives up on, seen in real feeds: localised
// day and month names ("Seg, 24 Set 2018 19:32:00 -0300"), named US zones,
// two-digit years with a colon-less time ("03 Apr 02 1500 GMT"), Unix seconds,
// slashed dates ("2020/1/10 14:25:00"). parseDate normalises those and tries
// a short list of layouts.

var (
	leadingWeekday = regexp.MustCompile(`^\p{L}+\.?,?\s*`)
	spaces         = regexp.MustCompile(`\s+`)
)

// monthNames maps lower-case localised month names and abbreviations to English.
var monthNames = map[string]string{
	// Portuguese
	"fev": "Feb", "abr": "Apr", "mai": "May", "ago": "Aug", "set": "Sep", "out": "Oct", "dez": "Dec",
	"janeiro": "January", "fevereiro": "February", "março": "March", "abril": "April", "maio": "May",
	"junho": "June", "julho": "July", "agosto": "August", "setembro": "September", "outubro": "October",
	"novembro": "November", "dezembro": "December",
	// Spanish
	"ene": "Jan", "dic": "Dec", "enero": "January", "febrero": "February", "marzo": "March",
	"mayo": "May", "junio": "June", "julio": "July", "septiembre": "September", "octubre": "October",
	"noviembre": "November", "diciembre": "December",
	// French
	"janv": "Jan", "févr": "Feb", "fevr": "Feb", "mars": "Mar", "avr": "Apr", "juin": "Jun",
	"juil": "Jul", "août": "Aug", "aout": "Aug", "sept": "Sep", "déc": "Dec",
	"janvier": "January", "février": "February", "avril": "April", "juillet": "July",
	"septembre": "September", "octobre": "October", "novembre": "November", "décembre": "December",
	// German
	"mär": "Mar", "märz": "March", "okt": "Oct", "januar": "January", "februar": "February",
	"juni": "June", "juli": "July", "oktober": "October", "dezember": "December",
}

// zoneOffsets maps zone abbreviations to numeric offsets; Go's time.Parse
// would otherwise read an unknown abbreviation as UTC.
var zoneOffsets = map[string]string{
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"CET": "+0100", "CEST": "+0200", "BST": "+0100", "IST": "+0530", "JST": "+0900",
	"AEST": "+1000", "AEDT": "+1100",
}

var extraLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006 15:04 -0700",
	"2 January 2006 15:04:05",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 Jan 06 1504 -0700",
	"2 Jan 2006 1504 -0700",
	"2 Jan 2006",
	"2 January 2006",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2, 2006 15:04:05 -0700",
	"January 2, 2006 15:04:05 -0700",
	"January 2, 2006",
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-1-2 15:04:05",
	"2006-1-2 15:04",
	"2006-01-02",
	"2006/1/2 15:04:05 -0700",
	"2006/1/2 15:04:05",
	"2006/1/2 15:04",
	"2006/1/2",
	"2.1.2006 15:04:05",
	"2.1.2006 15:04",
	"2.1.2006",
}

// parseDate reads date strings gofeed could not, reporting false when it
// cannot either. Dates without a zone are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := parseUnix(s); ok {
		return t, true
	}
	if t, ok := tryLayouts(normalizeDate(s)); ok {
		return t, true
	}
	return time.Time{}, false
}

func parseUnix(s string) (time.Time, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var t time.Time
	switch len(s) {
	case 9, 10:
		t = time.Unix(n, 0)
	case 12, 13:
		t = time.UnixMilli(n)
	default:
		return time.Time{}, false
	}
	return t.UTC(), plausible(t)
}

// normalizeDate drops a leading weekday, translates month names and zone
// abbreviations, and collapses whitespace.
func normalizeDate(s string) string {
	s = spaces.ReplaceAllString(strings.TrimSpace(s), " ")
	if len(s) > 0 && !isDigit(s[0]) {
		// A leading word followed by a digit is a weekday ("Seg, 24 ...");
		// a leading month ("Jan 2, 2006") is followed by a digit too, so only
		// strip when the word is not a month.
		if w := leadingWeekday.FindString(s); w != "" && len(w) < len(s) && isDigit(s[len(w)]) {
			word := strings.TrimRight(w, " ,.")
			if !isMonth(word) {
				s = s[len(w):]
			}
		}
	}
	fields := strings.Fields(s)
	for i, f := range fields {
		trail := ""
		if strings.HasSuffix(f, ",") {
			f, trail = strings.TrimSuffix(f, ","), ","
		}
		if m, ok := monthNames[strings.ToLower(strings.TrimSuffix(f, "."))]; ok {
			fields[i] = m + trail
			continue
		}
		if i > 0 {
			if off, ok := zoneOffsets[strings.ToUpper(f)]; ok {
				fields[i] = off + trail
			}
		}
	}
	return strings.Join(fields, " ")
}

func tryLayouts(s string) (time.Time, bool) {
	for _, layout := range extraLayouts {
		if t, err := time.Parse(layout, s); err == nil && plausible(t) {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func isMonth(word string) bool {
	if _, ok := monthNames[strings.ToLower(word)]; ok {
		return true
	}
	for m := time.January; m <= time.December; m++ {
		name := m.String()
		if strings.EqualFold(word, name) || strings.EqualFold(word, name[:3]) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// plausible rejects dates no news item can carry.
func plausible(t time.Time) bool {
	return t.Year() >= 1970 && t.Year() <= 2200
}
