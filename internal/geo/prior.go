package geo

import (
	"net/url"
	"strings"

	"github.com/vantage-news/vantage/internal/gazetteer"
)

// genericTLDs are country-code domains used worldwide for other reasons
// (.io for tech, .tv for video, .me, .fm …): they say nothing about where a
// publisher is.
var genericTLDs = map[string]bool{
	"io": true, "co": true, "tv": true, "me": true, "fm": true, "ai": true, "ly": true, "cc": true,
	"ws": true, "to": true, "gg": true, "sh": true, "am": true, "la": true, "nu": true, "vc": true,
	"eu": true, "su": true, "im": true,
}

// PriorFromURL is the home country of a publisher as its address tells it:
// the country-code top-level domain of the article's (or feed's) host, such
// as hurriyet.com.tr → TR or bbc.co.uk → GB. It returns nil for generic
// domains (.com, .org, .io …) and hosts it cannot read. The prior only tips
// ambiguous names towards that country; it never adds a place.
func PriorFromURL(g *gazetteer.Gazetteer, raw string) *Prior {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	i := strings.LastIndexByte(host, '.')
	if i < 0 {
		return nil
	}
	tld := host[i+1:]
	if len(tld) != 2 || genericTLDs[tld] {
		return nil
	}
	cc := strings.ToUpper(tld)
	if cc == "UK" {
		cc = "GB"
	}
	if _, ok := g.Country(cc); !ok {
		return nil
	}
	return &Prior{Country: cc}
}
