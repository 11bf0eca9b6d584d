package cluster

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence cleaning for summaries. Article text as scraped carries
// datelines, wire credits, navigation, headlines run into the first line,
// captions and page furniture; a summary sentence must be a complete
// sentence of running text. cleanSentence strips what can be stripped and
// rejects the rest.

// datelineRE matches a leading dateline or wire credit ending in a dash:
// "WASHINGTON – ", "NEW LONDON, Conn. -- ", "NEW DELHI, Dec. 29 (UPI) -- ",
// "LONDON (Reuters) - ", "(CNN) -- ". The place must be in capitals, so
// "Redwood City, California - The jury …" is left alone.
var datelineRE = regexp.MustCompile(`^(?:[A-Z][A-Z.'’&/]+(?: [A-Z][A-Z.'’&/]+)*(?:, ?[^–—\-()]{1,40}?)? ?(?:\([A-Za-z. ]{2,25}\) ?)?|\([A-Za-z. ]{2,25}\) ?)(?:--|-|–|—) +`)

// dateRE matches a leading date ending in a dash ("December 15, 2004 - ",
// "Thursday, 18 November 2004 — ").
var dateRE = regexp.MustCompile(`^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? +)?(?:[A-Z][a-z]{2,8}\.? +\d{1,2},? +\d{4}|\d{1,2} +[A-Z][a-z]{2,8}\.? +\d{4})(?: +\d{1,2}[:.]\d{2}(?: ?[AaPp]\.?[Mm]\.?)?)? *(?:--|-|–|—) +`)

// bullets are list marks and dashes stripped from the start of a
// sentence (U+0095 and U+0097 are cp1252 bullet and dash mis-decoded).
const bullets = "•·*-–—\u0095\u0097 "

// creditRE matches a short bracketed credit after the final punctuation:
// "… economy. [Reuters]", "… speech. (Photo: AP)".
var creditRE = regexp.MustCompile(`([.!?]["”’']?) *[(\[][^()\[\]]{1,30}[)\]]$`)

// boilerplate are phrases of page furniture (lower case); a sentence
// holding one (at a word start) is not news text.
var boilerplate = []string{
	"click here", "e-mail this", "email this", "printer-friendly", "printer friendly", "printable version",
	"all rights reserved", "copyright 1", "copyright 2", "copyright (c)", "subscribe to", "subscribe now",
	"to subscribe", "unsubscribe", "log in", "register for",
	"register with", "registering for", "registration is", "newsletter", "advertisement", "cookies",
	"javascript", "your browser", "please visit", "please contact", "home page", "homepage", "your inbox",
	"required fields", "this page", "page address", "address bar", "your request", "related stories",
	"related links", "read more", "more news", "terms of use", "privacy policy", "contact us",
	"send us", "posted by", "comments (", "rss feed", "bookmark",
}

// boilerplateAtWord is boilerplate with a leading space, to match at a word
// start in " " + the lower-cased sentence.
var boilerplateAtWord = func() []string {
	out := make([]string, len(boilerplate))
	for i, p := range boilerplate {
		out[i] = " " + p
	}
	return out
}()

// cleanSentence returns s without leading datelines and dates, or ok false
// when s is not a complete sentence of running text: it must start with a
// letter, digit or quote, end in a full stop or exclamation mark (possibly
// followed by a closing quote or bracket) — questions and trailing
// ellipses are out —, hold no URL, e-mail address, navigation marks
// (|, >, <<, >>) or boilerplate phrase, and be neither shouted (most
// letters capitals) nor a run of capitalised words (headlines, menus:
// more than 2/3 of its words capitalised).
func cleanSentence(s string) (string, bool) {
	s = strings.TrimLeft(strings.TrimSpace(s), bullets)
	if m := creditRE.FindStringSubmatchIndex(s); m != nil {
		s = s[:m[3]] // keep the punctuation (group 1)
	}
	for range 2 {
		if loc := datelineRE.FindStringIndex(s); loc != nil {
			s = s[loc[1]:]
		} else if loc := dateRE.FindStringIndex(s); loc != nil {
			s = s[loc[1]:]
		}
	}
	if s == "" {
		return "", false
	}
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) && !strings.ContainsRune(`"'“”‘’`, first) {
		return "", false
	}
	end := strings.TrimRight(s, `"'”’)]`)
	if end == "" || (!strings.HasSuffix(end, ".") && !strings.HasSuffix(end, "!")) ||
		strings.HasSuffix(end, "..") || strings.HasSuffix(end, ". .") {
		return "", false
	}
	if strings.ContainsAny(s, "|@©") || strings.Contains(s, " > ") || strings.Contains(s, "<<") ||
		strings.Contains(s, ">>") {
		return "", false
	}
	low := strings.ToLower(s)
	if strings.Contains(low, "http") || strings.Contains(low, "www.") {
		return "", false
	}
	low = " " + low
	for _, p := range boilerplateAtWord {
		if strings.Contains(low, p) {
			return "", false
		}
	}
	var upper, letters, capWords, nwords int
	for _, w := range strings.Fields(s) {
		w = strings.TrimLeft(w, `"'“‘(`)
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			continue
		}
		nwords++
		if unicode.IsUpper(r) {
			capWords++
		}
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	if letters == 0 || 2*upper > letters || (nwords >= 4 && 3*capWords > 2*nwords) {
		return "", false
	}
	return s, true
}
