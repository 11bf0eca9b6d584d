package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/vantage-news/vantage/internal/extract"
	"github.com/vantage-news/vantage/internal/fetch"
)

func (m *Main) runExtract(ctx context.Context, args []string) error {
	fs, l := m.flags("extract", "FILE|URL", "allow_private", "fetch_timeout", "max_body_bytes", "user_agent")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	src := pos[0]
	var (
		body    []byte
		pageURL *url.URL
	)
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		resp, err := fetchClient(cfg).Get(ctx, src, fetch.Conditional{})
		if err != nil {
			return err
		}
		body = resp.Body
		pageURL, _ = url.Parse(resp.FinalURL)
	} else {
		body, err = os.ReadFile(src)
		if err != nil {
			return fmt.Errorf("read %s: %w", src, err)
		}
		if int64(len(body)) > cfg.MaxBodyBytes {
			return fmt.Errorf("%s is %d bytes, over --max-body-bytes %d", src, len(body), cfg.MaxBodyBytes)
		}
	}
	res, err := extract.Extract(bytes.NewReader(body), pageURL, cfg.MaxBodyBytes)
	if err != nil {
		return fmt.Errorf("extract %s: %w", src, err)
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}
