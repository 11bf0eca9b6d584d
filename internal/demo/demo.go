// Package demo carries the sample news set that `vantage demo` loads: short reports written for the
// project about real public events, so a first run works offline.
//
// Every report in sample.jsonl was written for Vantage in the project's own words and is dedicated
// to the public domain (CC0). The outlet names are invented; no third-party article text is bundled.
package demo

import (
	"bytes"
	_ "embed"
	"io"
)

// sample is the embedded JSON Lines file. It is only ever read.
//
//go:embed sample.jsonl
var sample []byte

// Sample returns a reader over the embedded JSON Lines sample. Each line is one JSON object with the
// fields id, url, title, published (RFC 3339), source, license, text, event, countries and topic.
func Sample() io.Reader {
	return bytes.NewReader(sample)
}

// About returns the attribution lines shown by `vantage demo --about`.
func About() string {
	return "Vantage demo sample set\n" +
		"Short news reports written for the Vantage project, in its own words, about real public events (2015-2025).\n" +
		"Outlet names (Vantage Demo Wire, Demo Daily, Sample Courier, Example Gazette, Placeholder Post, Testbed Tribune) are invented.\n" +
		"URLs under demo.vantage.invalid are placeholders and do not resolve.\n" +
		"License: CC0 1.0 — written for the Vantage demo; no third-party article text is included.\n"
}

//go:embed world.opml
var worldFeeds []byte

// WorldFeeds returns an OPML list of public world-news feeds that `vantage demo
// --live` subscribes to.
func WorldFeeds() io.Reader {
	return bytes.NewReader(worldFeeds)
}
