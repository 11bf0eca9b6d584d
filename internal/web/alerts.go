package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vantage-news/vantage/internal/alerts"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
)

// RuleKeeper adds the rules made with the Alerts page, checked as the
// alerts API checks its own, and is told when the page removes one, so that
// alerting reads the rules again at once. *alerts.Notifier satisfies it.
type RuleKeeper interface {
	// AddRule checks, stores and returns a rule, with its secret; a rule
	// that cannot be made is an *alerts.RuleError.
	AddRule(ctx context.Context, req alerts.RuleRequest) (store.AlertRule, error)
	Invalidate()
}

// Limits and sizes of the Alerts page.
const (
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
	Off     bool // alerting is not enabled: no rule can be added
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
	d.Off = s.Alerts == nil
	tier := lens.Tier(d.Form.MinTier)
	if !slices.Contains(alertTiers, tier) {
		tier = alerts.DefaultMinTier
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
	if p := strings.TrimSpace(q.Get("place")); p != "" && len(p) <= alerts.MaxPlaceLen {
		d.Form.Place = p
		if rd, err := lens.ResolvePlace(s.gaz(), p); err == nil {
			d.Form.Place = placeInput(s.gaz(), rd, p)
		}
	}
	return s.alertsView(r.Context(), d, 0)
}

// ruleRequest reads the add form into a request for the notifier, which
// checks it. A place it cannot resolve comes back as the candidates to
// choose from; a form it cannot read, as a problem for the reader.
func (s *Site) ruleRequest(f ruleForm, secret string) (req alerts.RuleRequest, problem string, pp *placeProblem) {
	place := strings.TrimSpace(f.Place)
	if place == "" {
		return req, "Enter the place to watch: a city, region or country, a GeoNames ID or latitude,longitude.", nil
	}
	if len(place) <= alerts.MaxPlaceLen { // a longer one is the notifier's to refuse
		if _, pp := s.resolve(place, func(id string) string { return "/alerts?" + url.Values{"place": {id}}.Encode() + "#add-h" }); pp != nil {
			return req, "", pp
		}
	}
	minSources := 0
	if v := strings.TrimSpace(f.MinSources); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return req, "The minimum number of sources must be a whole number.", nil
		}
		minSources = n
	}
	return alerts.RuleRequest{Place: place, MinTier: f.MinTier, Topics: f.Topics, MinSources: minSources,
		WebhookURL: strings.TrimSpace(f.Webhook), Secret: secret}, "", nil
}

func (s *Site) addAlert(w http.ResponseWriter, r *http.Request) (*view, error) {
	if s.Alerts == nil {
		return nil, &httpError{http.StatusServiceUnavailable, "Alerting is not enabled on this server, so no rule can be added."}
	}
	f := ruleForm{Place: r.PostFormValue("place"), MinTier: r.PostFormValue("min_tier"),
		MinSources: r.PostFormValue("min_sources"), Webhook: r.PostFormValue("webhook_url"), Topics: r.PostForm["topics"]}
	secret := r.PostFormValue("secret")
	req, problem, pp := s.ruleRequest(f, secret)
	if problem != "" || pp != nil {
		return s.alertsView(r.Context(), &alertsData{Form: f, Problem: problem, Place: pp}, http.StatusBadRequest)
	}
	saved, err := s.Alerts.AddRule(r.Context(), req)
	if re, ok := errors.AsType[*alerts.RuleError](err); ok {
		return s.alertsView(r.Context(), &alertsData{Form: f, Problem: "The rule was not added: " + re.Message + "."}, http.StatusBadRequest)
	}
	if err != nil {
		return nil, err
	}
	s.log().Info("alert rule added", "rule", saved.ID, "place", saved.Place)
	if secret != "" {
		return redirect(w, r, "/alerts?done=added")
	}
	// The generated secret is shown this once, on this answer to the POST:
	// never in a URL, never on the list.
	return s.alertsView(r.Context(), &alertsData{Created: saved.ID, Secret: saved.Secret,
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
	if s.Alerts != nil {
		s.Alerts.Invalidate()
	}
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
