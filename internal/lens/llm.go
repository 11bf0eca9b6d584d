package lens

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// OpenAIWriter polishes lenses with a chat model behind any OpenAI-compatible
// endpoint (Ollama, llama.cpp server, vLLM, hosted services). The model sees
// only the lens text and its evidence.
type OpenAIWriter struct {
	URL    string // base URL, e.g. http://127.0.0.1:11434/v1
	Model  string
	APIKey string       // optional bearer key
	Client *http.Client // nil: a client with a 30 s timeout
}

// Name identifies the writer in Lens.Writer.
func (w *OpenAIWriter) Name() string { return "llm:" + w.Model }

// Polish asks the model to rewrite the lens text.
func (w *OpenAIWriter) Polish(ctx context.Context, l Lens) (string, error) {
	var facts strings.Builder
	for _, e := range l.Evidence {
		facts.WriteString("- " + e.Text + "\n")
	}
	body, _ := json.Marshal(map[string]any{
		"model":       w.Model,
		"temperature": 0.2,
		"messages": []map[string]string{
			{"role": "system", "content": "You rewrite short news notes for a reader in a given place. Use only the facts given. " +
				"Keep every number, place, person and organisation exactly as written; add none. Answer with 1 to 3 plain sentences, nothing else."},
			{"role": "user", "content": "Reader's place: " + l.Place + "\nFacts:\n" + facts.String() + "\nNote to rewrite:\n" + l.Text},
		},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(w.URL, "/")+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("llm request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if w.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+w.APIKey)
	}
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("llm request: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("llm response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("llm response: HTTP %d: %.200s", resp.StatusCode, raw)
	}
	var out struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Choices) == 0 {
		return "", fmt.Errorf("llm response: not a chat completion: %.200s", raw)
	}
	return strings.TrimSpace(out.Choices[0].Message.Content), nil
}

// polish lets w rewrite l.Text and keeps the result only when it passes
// Check; otherwise the deterministic text stays.
func polish(ctx context.Context, w Writer, l Lens) Lens {
	text, err := w.Polish(ctx, l)
	if err != nil || Check(text, l) != nil {
		return l
	}
	l.Text = text
	l.Writer = w.Name()
	return l
}

var (
	numberRe = regexp.MustCompile(`\d[\d,.]*`)
	nameRe   = regexp.MustCompile(`\b\p{Lu}[\p{L}'’-]+(?:\s+(?:al-|bin |de |van )?\p{Lu}[\p{L}'’-]+)*`)
)

// Check verifies that a rewritten lens invents nothing: every number and
// every capitalised name in text must appear in the original lens text or
// its evidence. It returns the first invented token.
func Check(text string, l Lens) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("empty text")
	}
	if len(text) > 4*len(l.Text)+200 {
		return fmt.Errorf("text is much longer than the lens")
	}
	var src strings.Builder
	src.WriteString(l.Text + "\n" + l.Place + "\n")
	for _, e := range l.Evidence {
		src.WriteString(e.Text + "\n" + e.Entity + "\n" + e.Role + "\n" + e.Bloc + "\n")
	}
	known := src.String()
	knownNums := map[string]bool{}
	for _, n := range numberRe.FindAllString(known, -1) {
		knownNums[strings.TrimRight(n, ".,")] = true
	}
	for _, n := range numberRe.FindAllString(text, -1) {
		if n = strings.TrimRight(n, ".,"); !knownNums[n] {
			return fmt.Errorf("number %q is not in the evidence", n)
		}
	}
	for _, name := range nameRe.FindAllString(text, -1) {
		for _, word := range strings.Fields(name) {
			if sentenceWord(word) {
				continue
			}
			if !strings.Contains(known, strings.TrimRight(word, "'’s")) {
				return fmt.Errorf("name %q is not in the evidence", word)
			}
		}
	}
	return nil
}

// sentenceWord reports capitalised words that start sentences or frame the
// lens without naming anything.
func sentenceWord(w string) bool {
	switch strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })) {
	case "in", "the", "this", "it", "its", "although", "though", "but", "however", "while", "as", "for", "and",
		"also", "acting", "largely", "a", "an", "both", "neither", "still", "so", "there", "here", "that", "these",
		"yet", "with", "from", "at", "on", "of", "by", "not", "no", "only", "is", "are", "meanwhile":
		return true
	}
	return false
}
