package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
)

// RuleWatcher is told when the web page changes the alert rules, so that
// alerting reads them again at once (*alerts.Notifier satisfies it).
type RuleWatcher interface {
	Invalidate()
}

// Limits of a rule made with the form; they follow the alerts API.
const (
	alertMaxPlace      = 200
	alertMaxURL        = 2048
	alertMinSecret     = 16
	alertMaxSecret     = 256
	alertMaxSources    = 1000
	alertSecretBytes   = 32 // a generated secret: random bytes, hex-encoded
	alertDefaultTier   = lens.National
	alertLogSize       = 10  // delivery attempts listed per rule
	alertMaxHeadlines  = 60  // story lookups for the delivery logs of one page
	storyAlertRules    = 50  // rules the story page looks through
	storyAlertLookback = 100 // delivery attempts per rule it looks through
)

// alertTiers are the tiers a rule may ask for, closest first.
var alertTiers = []lens.Tier{lens.Here, lens.National, lens.Party, lens.Neighbour, lens.Nearby, lens.Regional, lens.Tied}

type alertsData struct {
	Places  []watchedPlace
	Rules   int
	Notice  string // what the last action did
	Problem string // why the last action failed
	Place   *placeProblem
	Secret  string // a generated secret, shown once after the rule is made
	Created int64  // the rule just made
	Form    ruleForm
	Tiers   []tierOption
	Topics  []topicChip
	Token   bool
}

// ruleForm is the add form as sent.
type ruleForm struct {
	Place, MinTier, MinSources, Webhook string
	Topics                              []string
}

type tierOption struct {
	Tier     lens.Tier
	Info     string
	Selected bool
}

// watchedPlace is a place with its rules.
type watchedPlace struct {
	Label, Describe, URL string
	Rules                []ruleView
}

type ruleView struct {
	ID         int64
	Place      string // as the rule names it
	MinTier    lens.Tier
	Topics     []string
	MinSources int
	Host       string // the webhook's host only: its path may carry a key
	Created    time.Time
	Deliveries []deliveryView
	Problem    string // the place no longer resolves
}

type deliveryView struct {
	store.Delivery
	Tier     lens.Tier // shadows Delivery.Tier, for the tier badge
	Headline string
	URL      string
}

// alertPlace is how the page names a rule's place, and its key for links.
func (s *Site) alertPlace(r store.AlertRule) (label, describe, key, link string) {
	g := s.gaz()
	if p, ok := g.Place(r.PlaceID); ok && r.PlaceID != 0 {
		key = strconv.FormatInt(p.ID, 10)
		return p.Name, p.Describe(g), key, "/places/" + key
	}
	return r.Place, "", strings.TrimSpace(r.Place), ""
}

// webhookHost is the host (and port) of a webhook URL, never its path,
// query or user information.
func webhookHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(not a valid address)"
	}
	return u.Host
}

func (s *Site) alertsView(ctx context.Context, d *alertsData, status int) (*view, error) {
	d.Token = s.Token != ""
	tier := lens.Tier(d.Form.MinTier)
	if !slices.Contains(alertTiers, tier) {
		tier = alertDefaultTier
	}
	for _, t := range alertTiers {
		d.Tiers = append(d.Tiers, tierOption{Tier: t, Info: tierInfo[t], Selected: t == tier})
	}
	for _, t := range taxonomy {
		d.Topics = append(d.Topics, topicChip{Slug: t.Slug, Name: t.Name, Checked: slices.Contains(d.Form.Topics, t.Slug)})
	}
	if d.Form.MinSources == "" {
		d.Form.MinSources = "0"
	}
	rules, err := s.Store.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	d.Rules = len(rules)
	byPlace := map[string]int{}
	headlines := map[string]string{}
	for _, r := range rules {
		label, describe, key, link := s.alertPlace(r)
		rv := ruleView{ID: r.ID, Place: r.Place, MinTier: lens.Tier(r.MinTier), Topics: r.Topics, MinSources: r.MinSources,
			Host: webhookHost(r.WebhookURL), Created: r.Created}
		if _, err := lens.ResolvePlace(s.gaz(), r.Place); err != nil && r.PlaceID == 0 {
			rv.Problem = "This place is no longer known; the rule does not fire."
		}
		ds, err := s.Store.Deliveries(ctx, r.ID, alertLogSize)
		if err != nil {
			return nil, err
		}
		for _, dl := range ds {
			dv := deliveryView{Delivery: dl, Tier: lens.Tier(dl.Tier), URL: storyURL(dl.StoryID, key, nil)}
			h, seen := headlines[dl.StoryID]
			if !seen && len(headlines) < alertMaxHeadlines {
				if st, err := s.Store.Story(ctx, dl.StoryID); err == nil {
					h = st.Headline
				} else if !errors.Is(err, store.ErrNotFound) {
					return nil, err
				}
				headlines[dl.StoryID] = h
			}
			dv.Headline = h
			rv.Deliveries = append(rv.Deliveries, dv)
		}
		group := key
		if group == "" {
			group = "#" + strconv.FormatInt(r.ID, 10)
		}
		i, ok := byPlace[group]
		if !ok {
			i = len(d.Places)
			byPlace[group] = i
			d.Places = append(d.Places, watchedPlace{Label: label, Describe: describe, URL: link})
		}
		d.Places[i].Rules = append(d.Places[i].Rules, rv)
	}
	return &view{Name: "alerts", Title: "Alerts", Nav: "alerts", Status: status, Data: d}, nil
}

func (s *Site) alerts(w http.ResponseWriter, r *http.Request) (*view, error) {
	q := r.URL.Query()
	d := &alertsData{}
	switch q.Get("done") { // notices are fixed texts
	case "added":
		d.Notice = "The rule was added. Stories are checked against it as they come in."
	case "removed":
		d.Notice = "The rule was removed, with its delivery log."
	}
	// a candidate link of an ambiguous place fills in the place field
	if p := strings.TrimSpace(q.Get("place")); p != "" && len(p) <= alertMaxPlace {
		d.Form.Place = p
		if rd, err := lens.ResolvePlace(s.gaz(), p); err == nil {
			d.Form.Place = placeInput(s.gaz(), rd, p)
		}
	}
	return s.alertsView(r.Context(), d, 0)
}

// ruleFromForm checks the add form the way the alerts API checks its JSON
// body. It returns the rule, whether its secret was generated, and a
// problem for the reader.
func (s *Site) ruleFromForm(f ruleForm, secret string) (rule store.AlertRule, generated bool, problem string, pp *placeProblem) {
	place := strings.TrimSpace(f.Place)
	if place == "" {
		return rule, false, "Enter the place to watch: a city, region or country, a GeoNames ID or latitude,longitude.", nil
	}
	if len(place) > alertMaxPlace {
		return rule, false, fmt.Sprintf("The place is longer than %d characters.", alertMaxPlace), nil
	}
	reader, pp := s.resolve(place, func(id string) string { return "/alerts?" + url.Values{"place": {id}}.Encode() + "#add-h" })
	if pp != nil {
		return rule, false, "", pp
	}
	tier := alertDefaultTier
	if f.MinTier != "" {
		t, err := lens.ParseTier(f.MinTier)
		if err != nil {
			return rule, false, "Choose one of the tiers in the list.", nil
		}
		tier = t
	}
	var ts []string
	for _, t := range f.Topics {
		if _, ok := topicNames[t]; !ok {
			return rule, false, "Choose topics from the list.", nil
		}
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	minSources := 0
	if v := strings.TrimSpace(f.MinSources); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > alertMaxSources {
			return rule, false, fmt.Sprintf("The minimum number of sources must be a whole number from 0 to %d.", alertMaxSources), nil
		}
		minSources = n
	}
	hook := strings.TrimSpace(f.Webhook)
	if msg := s.webhookProblem(hook); msg != "" {
		return rule, false, msg, nil
	}
	switch {
	case secret == "":
		b := make([]byte, alertSecretBytes)
		rand.Read(b)
		secret, generated = hex.EncodeToString(b), true
	case len(secret) < alertMinSecret || len(secret) > alertMaxSecret:
		return rule, false, fmt.Sprintf("The secret must be %d to %d characters long; leave it empty to have one made.", alertMinSecret, alertMaxSecret), nil
	}
	var placeID int64
	if reader.Place != nil {
		placeID = reader.Place.ID
	}
	return store.AlertRule{Place: place, PlaceID: placeID, MinTier: string(tier), Topics: ts, MinSources: minSources,
		WebhookURL: hook, Secret: secret}, generated, "", nil
}

// webhookProblem explains what is wrong with a webhook address, "" when
// nothing is. Like the alerts API it refuses this machine and non-public
// addresses written as numbers unless Site.AllowPrivateWebhooks is set;
// names are checked again by the notifier at every connection.
func (s *Site) webhookProblem(raw string) string {
	const prefix = "The webhook "
	if raw == "" {
		return prefix + "address is required."
	}
	if len(raw) > alertMaxURL {
		return fmt.Sprintf(prefix+"address is longer than %d characters.", alertMaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return prefix + "must be a full web address starting with http:// or https://."
	}
	if u.User != nil {
		return prefix + "address must not carry a user name or password; use the secret to authenticate."
	}
	if s.AllowPrivateWebhooks {
		return ""
	}
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return prefix + "points at this machine; only public addresses are allowed."
	}
	if a, err := netip.ParseAddr(u.Hostname()); err == nil && !publicAddr(a) {
		return prefix + "points at a private or reserved address; only public addresses are allowed."
	}
	return ""
}

// nonPublic are address ranges beyond netip's own classes that a webhook
// may not name (the alerts package's list).
var nonPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, p := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
		"::/96", "64:ff9b::/96", "64:ff9b:1::/48", "2001::/32", "2002::/16", "2001:db8::/32", "fec0::/10"} {
		ps = append(ps, netip.MustParsePrefix(p))
	}
	return ps
}()

func publicAddr(a netip.Addr) bool {
	a = a.WithZone("").Unmap()
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

func (s *Site) rulesChanged() {
	if s.Alerts != nil {
		s.Alerts.Invalidate()
	}
}

func (s *Site) addAlert(w http.ResponseWriter, r *http.Request) (*view, error) {
	f := ruleForm{Place: r.PostFormValue("place"), MinTier: r.PostFormValue("min_tier"),
		MinSources: r.PostFormValue("min_sources"), Webhook: r.PostFormValue("webhook_url"), Topics: r.PostForm["topics"]}
	rule, generated, problem, pp := s.ruleFromForm(f, r.PostFormValue("secret"))
	if problem != "" || pp != nil {
		return s.alertsView(r.Context(), &alertsData{Form: f, Problem: problem, Place: pp}, http.StatusBadRequest)
	}
	saved, err := s.Store.AddAlertRule(r.Context(), rule)
	if err != nil {
		return nil, err
	}
	s.rulesChanged()
	s.log().Info("alert rule added", "rule", saved.ID, "place", saved.Place)
	if !generated {
		return redirect(w, r, "/alerts?done=added")
	}
	// The generated secret is shown this once, on this answer to the POST:
	// never in a URL, never on the list.
	return s.alertsView(r.Context(), &alertsData{Created: saved.ID, Secret: rule.Secret,
		Notice: "The rule was added. Stories are checked against it as they come in."}, http.StatusCreated)
}

func (s *Site) removeAlert(w http.ResponseWriter, r *http.Request) (*view, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("id")), 10, 64)
	if err != nil || id <= 0 {
		return s.alertsView(r.Context(), &alertsData{Problem: "Say which rule to remove."}, http.StatusBadRequest)
	}
	if err := s.Store.RemoveAlertRule(r.Context(), id); errors.Is(err, store.ErrNotFound) {
		return s.alertsView(r.Context(), &alertsData{Problem: "That rule is not in the list (any more)."}, http.StatusNotFound)
	} else if err != nil {
		return nil, err
	}
	s.rulesChanged()
	s.log().Info("alert rule removed", "rule", id)
	return redirect(w, r, "/alerts?done=removed")
}

// storyAlert is an alert sent for a story, for the note on its page.
type storyAlert struct {
	RuleID int64
	Place  string
	Tier   lens.Tier
	Last   store.Delivery // the latest attempt
}

// storyAlerts finds the alerts sent for a story (or a story merged into
// it) in the recent delivery logs. Errors leave the note out.
func (s *Site) storyAlerts(ctx context.Context, ids []string) []storyAlert {
	rules, err := s.Store.AlertRules(ctx)
	if err != nil {
		s.log().Warn("story alerts", "err", err)
		return nil
	}
	var out []storyAlert
	for i, r := range rules {
		if i == storyAlertRules {
			break
		}
		ds, err := s.Store.Deliveries(ctx, r.ID, storyAlertLookback)
		if err != nil {
			s.log().Warn("story alerts", "rule", r.ID, "err", err)
			return out
		}
		seen := map[string]bool{}
		for _, d := range ds { // newest first: the first attempt seen is the latest
			if !slices.Contains(ids, d.StoryID) || seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			label, _, _, _ := s.alertPlace(r)
			out = append(out, storyAlert{RuleID: r.ID, Place: label, Tier: lens.Tier(d.Tier), Last: d})
		}
	}
	return out
}
