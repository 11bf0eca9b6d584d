package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/feeds"
	"github.com/vantage-news/vantage/internal/store"
)

type sourcesData struct {
	Feeds   []feedView
	Failing int
	Notice  string // what the last action did
	Problem string // why the last action failed
	Form    feeds.Subscription
	Token   bool
	Fetch   bool // the "Fetch now" buttons are shown
}

type feedView struct {
	store.Feed
	Health     string // ok, failing, new
	HealthText string
	LastFetch  string
	NextFetch  string
}

func (s *Site) feedList(ctx context.Context, d *sourcesData) error {
	fs, err := s.Store.Feeds(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, f := range fs {
		fv := feedView{Feed: f, Health: "ok", HealthText: "healthy", LastFetch: "never", NextFetch: "—"}
		switch {
		case f.ErrorCount > 0:
			fv.Health, fv.HealthText = "failing", fmt.Sprintf("failing (%d in a row)", f.ErrorCount)
			d.Failing++
		case f.LastFetch.IsZero():
			fv.Health, fv.HealthText = "new", "not fetched yet"
		}
		if !f.LastFetch.IsZero() {
			fv.LastFetch = ago(now.Sub(f.LastFetch))
		}
		if !f.NextFetch.IsZero() {
			if f.NextFetch.After(now) {
				fv.NextFetch = "in " + strings.TrimSuffix(ago(f.NextFetch.Sub(now)), " ago")
			} else {
				fv.NextFetch = "due"
			}
		}
		d.Feeds = append(d.Feeds, fv)
	}
	return nil
}

func (s *Site) sourcesView(ctx context.Context, d *sourcesData, status int) (*view, error) {
	d.Token = s.Token != ""
	d.Fetch = s.Fetcher != nil
	if err := s.feedList(ctx, d); err != nil {
		return nil, err
	}
	return &view{Name: "sources", Title: "Sources", Nav: "sources", Status: status, Data: d}, nil
}

func (s *Site) sources(w http.ResponseWriter, r *http.Request) (*view, error) {
	q := r.URL.Query()
	d := &sourcesData{}
	// notices are chosen from fixed texts; only counts come from the URL
	n := func(k string) int { i, _ := strconv.Atoi(q.Get(k)); return max(i, 0) }
	switch q.Get("done") {
	case "added":
		d.Notice = "The feed was added; it will be fetched at the next poll."
	case "removed":
		d.Notice = "The feed was removed. Its stored articles stay."
	case "imported":
		d.Notice = fmt.Sprintf("Imported %d feeds from the OPML file; %d were already there or not web addresses.", n("added"), n("skipped"))
	}
	v, err := s.sourcesView(r.Context(), d, 0)
	if err == nil {
		fetchNotice(d, q)
	}
	return v, err
}

// feedURL checks a feed address: absolute http or https.
func feedURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return raw, false
	}
	return u.String(), true
}

func (s *Site) addSource(w http.ResponseWriter, r *http.Request) (*view, error) {
	sub := feeds.Subscription{URL: r.PostFormValue("url"), Title: strings.TrimSpace(r.PostFormValue("title")),
		Category: strings.TrimSpace(r.PostFormValue("category"))}
	u, ok := feedURL(sub.URL)
	if !ok {
		return s.sourcesView(r.Context(), &sourcesData{Form: sub, Problem: "The feed address must be a full web address starting with http:// or https://."}, http.StatusBadRequest)
	}
	sub.URL = u
	if _, err := s.Store.AddFeed(r.Context(), sub); errors.Is(err, store.ErrExists) {
		return s.sourcesView(r.Context(), &sourcesData{Form: sub, Problem: "That feed is already in the list."}, http.StatusConflict)
	} else if err != nil {
		return nil, err
	}
	s.log().Info("feed added", "url", sub.URL)
	return redirect(w, r, "/sources?done=added")
}

func (s *Site) removeSource(w http.ResponseWriter, r *http.Request) (*view, error) {
	id := strings.TrimSpace(r.PostFormValue("id"))
	if id == "" {
		return s.sourcesView(r.Context(), &sourcesData{Problem: "Say which feed to remove."}, http.StatusBadRequest)
	}
	if err := s.Store.RemoveFeed(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		return s.sourcesView(r.Context(), &sourcesData{Problem: "That feed is not in the list (any more)."}, http.StatusNotFound)
	} else if err != nil {
		return nil, err
	}
	s.log().Info("feed removed", "id", id)
	return redirect(w, r, "/sources?done=removed")
}

func (s *Site) importOPML(w http.ResponseWriter, r *http.Request) (*view, error) {
	f, _, err := r.FormFile("opml")
	if err != nil {
		return s.sourcesView(r.Context(), &sourcesData{Problem: "Choose an OPML file to import."}, http.StatusBadRequest)
	}
	defer f.Close()
	subs, err := feeds.ParseOPML(f)
	if err != nil {
		return s.sourcesView(r.Context(), &sourcesData{Problem: "That file is not a readable OPML subscription list."}, http.StatusBadRequest)
	}
	added, skipped := 0, 0
	for _, sub := range subs {
		u, ok := feedURL(sub.URL)
		if !ok {
			skipped++
			continue
		}
		sub.URL = u
		if _, err := s.Store.AddFeed(r.Context(), sub); errors.Is(err, store.ErrExists) {
			skipped++
		} else if err != nil {
			return nil, err
		} else {
			added++
		}
	}
	s.log().Info("OPML imported", "added", added, "skipped", skipped)
	return redirect(w, r, fmt.Sprintf("/sources?done=imported&added=%d&skipped=%d", added, skipped))
}

func (s *Site) exportOPML(w http.ResponseWriter, r *http.Request) {
	fs, err := s.Store.Feeds(r.Context())
	if err != nil {
		s.log().Error("export OPML", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	subs := make([]feeds.Subscription, 0, len(fs))
	for _, f := range fs {
		subs = append(subs, feeds.Subscription{URL: f.URL, Title: f.Title, SiteURL: f.SiteURL, Category: f.Category})
	}
	var b bytes.Buffer
	if err := feeds.WriteOPML(&b, "Vantage subscriptions", subs); err != nil {
		s.log().Error("export OPML", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="vantage-feeds.opml"`)
	w.Write(b.Bytes())
}
