package extract

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// minArticleChars is the text length below which readability's answer is not trusted and
// the fallback extractor is tried too.
const minArticleChars = 250

// maxReadabilityElems bounds the pages go-readability is run on: its cost grows faster than
// linearly, and real news pages have a few thousand elements. Larger pages go straight to
// the linear fallback extractor.
const maxReadabilityElems = 50000

// mainText finds the article text of doc: go-readability's pick, cleaned of boilerplate,
// or a paragraph-density fallback when readability finds nothing useful.
func mainText(doc *html.Node, pageURL *url.URL, meta *metadata) string {
	var paras []string
	if art, err := runReadability(doc, pageURL); err == nil {
		meta.readability.title = art.Title()
		meta.readability.byline = art.Byline()
		meta.readability.lang = art.Language()
		meta.readability.siteName = art.SiteName()
		if t, err := art.PublishedTime(); err == nil {
			meta.readability.published = t
		}
		if art.Node != nil {
			whole := paragraphs(art.Node)
			prune(art.Node)
			paras = cleanParagraphs(paragraphs(art.Node))
			// Pruning that takes most of the text has mistaken the article for furniture.
			if textLen(paras)*10 < textLen(whole)*3 {
				paras = cleanParagraphs(whole)
			}
		}
	}
	if textLen(paras) < minArticleChars {
		if fb := cleanParagraphs(fallbackParagraphs(doc)); textLen(fb) > textLen(paras) {
			paras = fb
		}
	}
	if textLen(paras) < minArticleChars && utf8.RuneCountInString(meta.ldBody) > textLen(paras) {
		paras = cleanParagraphs(splitParagraphs(meta.ldBody))
	}
	paras = dropEchoes(paras, meta, pageURL)
	if meta.siteName == "" {
		meta.siteName = cleanInline(meta.readability.siteName)
	}
	if meta.published.IsZero() {
		meta.published = meta.readability.published
	}
	return strings.Join(paras, "\n\n")
}

// runReadability runs go-readability on a copy of doc, turning a panic into an error.
func runReadability(doc *html.Node, pageURL *url.URL) (art readability.Article, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("readability: %v", p)
		}
	}()
	parser := readability.NewParser()
	parser.MaxElemsToParse = maxReadabilityElems
	return parser.ParseDocument(doc, pageURL)
}

// dropEchoes removes paragraphs near the top that repeat the headline or the page's
// address: the article container often includes its own header.
func dropEchoes(paras []string, meta *metadata, pageURL *url.URL) []string {
	echoes := map[string]bool{}
	for _, t := range []string{meta.ldHeadline, meta.metaTitle, meta.readability.title, meta.titleTag} {
		if t = strings.ToLower(cleanInline(t)); t != "" {
			echoes[t] = true
		}
	}
	if pageURL != nil {
		echoes[strings.ToLower(pageURL.String())] = true
	}
	out := paras[:0:0]
	for i, p := range paras {
		if i < 8 && echoes[strings.ToLower(p)] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// splitParagraphs splits plain text (JSON-LD articleBody) at line breaks.
func splitParagraphs(s string) []string {
	var out []string
	for p := range strings.Lines(html.UnescapeString(s)) {
		if p = normaliseSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func textLen(paras []string) int {
	n := 0
	for _, p := range paras {
		n += utf8.RuneCountInString(p)
	}
	return n
}

// boilerplateLine matches short paragraphs that are page furniture, not article text.
var boilerplateLine = regexp.MustCompile(`(?i)^(` +
	`advertisement|advertising|anzeige|publicidad|pubblicità|publicité|sponsored( content)?|` +
	`(story|article) continues below( this)?( advertisement| ad)?|continue reading( below| the main story)?|` +
	`(read|see|watch|click|tap) (more|also|next|here)\b.*|related( articles?| stories| coverage| content| news| links?)?:?.*|` +
	`(share|tweet|email|print|save|comment)( (this|the))?( article| story| page| on \w+)?|` +
	`(share|partager|compartir|compartilhar|teilen|condividi|delen)( (this|on|via|with|sur|en|no|na|auf|bei|su|op)\b.*)?|` +
	`(sign up|subscribe|register|log ?in)\b.*|follow us\b.*|` +
	`(facebook|twitter|linkedin|whatsapp|pinterest|reddit|email|print|copy( link)?|x)(\s*[|·•/]?\s*(facebook|twitter|linkedin|whatsapp|pinterest|reddit|email|print|copy( link)?|x))*|` +
	`loading\.*|close|menu|skip to (main )?content|back to top|image( \d+)?( of \d+)?|` +
	`(photo|image|picture|video)( credit)?s?:.*|getty images|` +
	`(all rights reserved|©|\(c\) ?\d{4}|copyright ©?).*|` +
	`(most )?(popular|trending|recommended)( now| stories| articles)?|` +
	`you (might|may) (also )?like.*|more from .*|up next.*|` +
	`we('| a)re sorry.*|this content is not available.*|enable javascript.*|` +
	`(by|von|por|par|di|door|av|przez) \p{Lu}[^.!?]*|` +
	`(first )?(published|updated|posted|last updated|modified|publicado|actualizado|veröffentlicht|aktualisiert|publié|mis à jour)\b.*|` +
	`caption|image \d+ of /? ?\d+|(post|leave|add|view|show)( a)? comments?.*|\d+ comments?|` +
	`breaking news (emails|alerts)|don'?t miss|advert|comments|(tell|let) us what you think.*|` +
	`this slideshow requires javascript` +
	`)[.:!]?$`)

// captionLine matches photo captions and credits that readability keeps with the text.
var captionLine = regexp.MustCompile(`(?i)(\((ap|afp|reuters|getty|image|photo|picture|credit|foto|bild|pic)\b[^)]*\)|` +
	`(photo|image|picture|credit|foto|bild)s?( by)?: ?[^.]{0,80}|getty images( for \w+)?)\.?$`)

// promoObject and promoAction together match prompts to sign up for newsletters and the like.
var (
	promoObject = regexp.MustCompile(`(?i)\b(newsletters?|inbox|alerts)\b`)
	promoAction = regexp.MustCompile(`(?i)\b(sign up|subscribe|delivered|get|receive)\b`)
)

// maxBoilerplateWords bounds the paragraphs boilerplateLine may remove: a long paragraph
// that happens to start with "Related" is still article text.
const maxBoilerplateWords = 12

// cleanParagraphs drops boilerplate lines and exact repeats of earlier paragraphs.
func cleanParagraphs(paras []string) []string {
	out := paras[:0:0]
	seen := make(map[string]bool, len(paras))
	for _, p := range paras {
		words := len(strings.Fields(p))
		switch {
		case words <= maxBoilerplateWords && boilerplateLine.MatchString(p),
			words <= 60 && captionLine.MatchString(p),
			words <= 40 && promoObject.MatchString(p) && promoAction.MatchString(p):
			continue
		}
		if len(p) > 40 && seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}
