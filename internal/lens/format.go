package lens

import (
	"fmt"
	"html"
	"io"
	"strings"
)

func (b *Brief) heading() string {
	h := "Briefing for " + b.Place
	if len(b.Countries) > 0 {
		h += " (" + strings.Join(b.Countries, ", ") + ")"
	}
	if len(b.Interests) > 0 {
		h += " — " + strings.Join(b.Interests, ", ")
	}
	return h
}

func (b *Brief) subheading() string {
	s := fmt.Sprintf("%d stories considered", b.Considered)
	if b.Considered == 1 {
		s = "1 story considered"
	}
	if !b.AsOf.IsZero() {
		s += ", newest " + b.AsOf.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s
}

func storyLine(it *Item) string {
	st := it.Story
	var parts []string
	if !st.LastSeen.IsZero() {
		parts = append(parts, st.LastSeen.UTC().Format("2006-01-02"))
	}
	src := fmt.Sprintf("%d sources", st.IndependentSourceCount)
	if st.IndependentSourceCount == 1 {
		src = "1 source"
	}
	parts = append(parts, src)
	var ts []string
	for _, t := range st.Topics {
		ts = append(ts, t.Slug)
	}
	if len(ts) > 0 {
		parts = append(parts, strings.Join(ts, ", "))
	}
	return strings.Join(parts, " · ")
}

// WriteText writes the briefing as plain text.
func (b *Brief) WriteText(w io.Writer) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s\n%s\n", b.heading(), b.subheading())
	if len(b.Items) == 0 {
		sb.WriteString("\nNo stories.\n")
	}
	unaffected := false
	for i := range b.Items {
		it := &b.Items[i]
		if it.Unaffected && !unaffected {
			unaffected = true
			sb.WriteString("\nElsewhere, largely unaffected:\n")
		}
		fmt.Fprintf(&sb, "\n%d. %s  [%s · %.2f]\n   %s\n", i+1, it.Story.Headline, it.Lens.Tier, it.Lens.Score, storyLine(it))
		if it.Story.Summary != "" && !it.Unaffected {
			fmt.Fprintf(&sb, "   %s\n", wrap(it.Story.Summary, 96, "   "))
		}
		fmt.Fprintf(&sb, "   Lens: %s\n", wrap(it.Lens.Text, 90, "         "))
		for j, s := range it.Lens.Sentences {
			var refs []string
			for _, e := range s.Evidence {
				refs = append(refs, it.Lens.Evidence[e].Text)
			}
			if len(refs) > 0 {
				fmt.Fprintf(&sb, "   [%d] %s\n", j+1, strings.Join(refs, "; "))
			}
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// WriteMarkdown writes the briefing as Markdown.
func (b *Brief) WriteMarkdown(w io.Writer) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# %s\n\n_%s_\n", mdEscape(b.heading()), mdEscape(b.subheading()))
	unaffected := false
	for i := range b.Items {
		it := &b.Items[i]
		if it.Unaffected && !unaffected {
			unaffected = true
			sb.WriteString("\n## Elsewhere, largely unaffected\n")
		}
		fmt.Fprintf(&sb, "\n### %d. %s\n\n`%s` · score %.2f · %s\n\n", i+1, mdEscape(it.Story.Headline), it.Lens.Tier, it.Lens.Score, mdEscape(storyLine(it)))
		if it.Story.Summary != "" && !it.Unaffected {
			fmt.Fprintf(&sb, "> %s\n\n", mdEscape(it.Story.Summary))
		}
		fmt.Fprintf(&sb, "**Lens:** %s\n", mdEscape(it.Lens.Text))
		var ev []string
		for _, e := range it.Lens.Evidence {
			ev = append(ev, "- "+e.Kind+": "+mdEscape(e.Text))
		}
		if len(ev) > 0 {
			sb.WriteString("\n<details><summary>Evidence</summary>\n\n" + strings.Join(ev, "\n") + "\n\n</details>\n")
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// WriteHTML writes the briefing as a self-contained HTML page.
func (b *Brief) WriteHTML(w io.Writer) error {
	var sb strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&sb, `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>%s</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.tier{display:inline-block;padding:0 .4em;border-radius:.3em;background:#e8eef7;font-size:.85em}.meta{color:#555;font-size:.9em}</style></head><body>
<h1>%s</h1><p class="meta">%s</p>`, e(b.heading()), e(b.heading()), e(b.subheading()))
	for i := range b.Items {
		it := &b.Items[i]
		fmt.Fprintf(&sb, "\n<article><h2>%s</h2><p class=\"meta\"><span class=\"tier\">%s</span> %s</p><p>%s</p><p><strong>%s</strong></p><details><summary>Evidence</summary><ul>",
			e(it.Story.Headline), e(string(it.Lens.Tier)), e(storyLine(it)), e(it.Story.Summary), e(it.Lens.Text))
		for _, ev := range it.Lens.Evidence {
			fmt.Fprintf(&sb, "<li>%s: %s</li>", e(ev.Kind), e(ev.Text))
		}
		sb.WriteString("</ul></details></article>")
	}
	sb.WriteString("\n</body></html>\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteString("\n" + indent)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
