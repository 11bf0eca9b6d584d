package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/normalize"
	"github.com/vantage-news/vantage/internal/store"
)

const feedsUsage = `add URL [--title T] [--category C] | list [--json] | remove ID|URL | import FILE.opml | export [FILE.opml]`

func (m *Main) runFeeds(ctx context.Context, args []string) error {
	fs, l := m.flags("feeds", feedsUsage)
	title := fs.String("title", "", "title of the feed (add)")
	category := fs.String("category", "", "category of the feed (add)")
	asJSON := fs.Bool("json", false, "print the list as JSON (list)")
	cfg, pos, err := m.parse(fs, l, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	sub, rest := pos[0], pos[1:]
	need := func(n int) error {
		if len(rest) != n {
			fs.Usage()
			return errUsage
		}
		return nil
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "add":
		if err := need(1); err != nil {
			return err
		}
		if _, err := normalize.CanonicalURL(rest[0]); err != nil {
			return fmt.Errorf("feed URL %q: %w", rest[0], err)
		}
		f, err := db.AddFeed(ctx, feeds.Subscription{URL: rest[0], Title: *title, Category: *category})
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "added feed %d: %s\n", f.ID, f.URL)
	case "list":
		if err := need(0); err != nil {
			return err
		}
		list, err := db.Feeds(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if list == nil {
				list = []store.Feed{}
			}
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(list)
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tURL\tTITLE\tLAST FETCH\tITEMS\tERRORS\tLAST ERROR")
		for _, f := range list {
			last := "never"
			if !f.LastFetch.IsZero() {
				last = f.LastFetch.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\n", f.ID, f.URL, f.Title, last, f.Items, f.ErrorCount, f.LastError)
		}
		return tw.Flush()
	case "remove":
		if err := need(1); err != nil {
			return err
		}
		if err := db.RemoveFeed(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "removed %s\n", rest[0])
	case "import":
		if err := need(1); err != nil {
			return err
		}
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		added, existing, err := importOPML(ctx, db, f)
		if err != nil {
			return fmt.Errorf("import %s: %w", rest[0], err)
		}
		fmt.Fprintf(m.Stdout, "imported %s: %d added, %d already subscribed\n", rest[0], added, existing)
	case "export":
		if len(rest) > 1 {
			fs.Usage()
			return errUsage
		}
		list, err := db.Feeds(ctx)
		if err != nil {
			return err
		}
		subs := make([]feeds.Subscription, len(list))
		for i, f := range list {
			subs[i] = feeds.Subscription{URL: f.URL, Title: f.Title, SiteURL: f.SiteURL, Category: f.Category}
		}
		var w io.Writer = m.Stdout
		if len(rest) == 1 {
			f, err := os.Create(rest[0])
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		return feeds.WriteOPML(w, "Vantage subscriptions", subs)
	default:
		fmt.Fprintf(m.Stderr, "vantage feeds: unknown subcommand %q\n", sub)
		fs.Usage()
		return errUsage
	}
	return nil
}

// importOPML subscribes to every feed of an OPML document.
func importOPML(ctx context.Context, db store.Store, r io.Reader) (added, existing int, err error) {
	subs, err := feeds.ParseOPML(r)
	if err != nil {
		return 0, 0, err
	}
	for _, s := range subs {
		_, err := db.AddFeed(ctx, s)
		switch {
		case err == nil:
			added++
		case errors.Is(err, store.ErrExists):
			existing++
		default:
			return added, existing, err
		}
	}
	return added, existing, nil
}
