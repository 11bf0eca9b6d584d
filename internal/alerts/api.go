package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/vantage-news/vantage/internal/httpjson"
	"github.com/vantage-news/vantage/internal/lens"
	"github.com/vantage-news/vantage/internal/store"
	"github.com/vantage-news/vantage/internal/topics"
)

// Limits of a rule created through the API.
const (
	maxRuleBody     = 64 << 10
	maxTopics       = 32
	maxURLLen       = 2048
	minSecretLen    = 16
	maxSecretLen    = 256
	maxMinSources   = 1000
	generatedSecret = 32 // random bytes, hex-encoded
)

// MaxPlaceLen is the longest place name a rule may give, in bytes.
const MaxPlaceLen = 200

// RuleRequest is the body of POST /api/v1/alerts.
type RuleRequest struct {
	Place      string   `json:"place"`                 // required: a name, "Name, Country", a region, a GeoNames ID or "lat,lon"
	MinTier    string   `json:"min_tier,omitempty"`    // default national
	Topics     []string `json:"topics,omitempty"`      // topic slugs; none: every topic
	MinSources int      `json:"min_sources,omitempty"` // independent sources (default 0: any)
	WebhookURL string   `json:"webhook_url"`           // required, http or https
	Secret     string   `json:"secret,omitempty"`      // 16–256 characters; generated when absent
}

// CreatedRule is the answer to POST /api/v1/alerts: the rule with its
// secret, shown this once.
type CreatedRule struct {
	store.AlertRule
	Secret string `json:"secret"`
}

// Routes registers the alerts API on mux:
//
//	GET    /api/v1/alerts                  rules, secrets hidden
//	POST   /api/v1/alerts                  add a rule (token); 201 with its secret, shown once
//	DELETE /api/v1/alerts/{id}             remove a rule (token); 204
//	GET    /api/v1/alerts/{id}/deliveries  the rule's delivery log, newest first (?limit=1..500, default 20)
//
// requireToken guards the write endpoints (nil: unguarded). Errors are
// RFC 9457 problem+json; unknown query parameters are refused.
func (n *Notifier) Routes(mux *http.ServeMux, requireToken func(http.HandlerFunc) http.HandlerFunc) {
	guard := requireToken
	if guard == nil {
		guard = func(h http.HandlerFunc) http.HandlerFunc { return h }
	}
	mux.HandleFunc("GET /api/v1/alerts", n.listRules)
	mux.HandleFunc("POST /api/v1/alerts", guard(n.addRule))
	mux.HandleFunc("DELETE /api/v1/alerts/{id}", guard(n.removeRule))
	mux.HandleFunc("GET /api/v1/alerts/{id}/deliveries", n.deliveries)
}

func (n *Notifier) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeProblem(w, http.StatusNotFound, "no such alert rule")
		return
	}
	n.log().Error("alerts API", "method", r.Method, "path", r.URL.Path, "err", err)
	writeProblem(w, http.StatusInternalServerError, "internal error; see the server log")
}

func ruleID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeProblem(w, http.StatusBadRequest, fmt.Sprintf("alert rule id %q is not a positive integer", r.PathValue("id")))
		return 0, false
	}
	return id, true
}

func (n *Notifier) listRules(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	rules, err := n.Store.AlertRules(r.Context())
	if err != nil {
		n.writeError(w, r, err)
		return
	}
	if rules == nil {
		rules = []store.AlertRule{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": rules})
}

func (n *Notifier) addRule(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			writeProblem(w, http.StatusUnsupportedMediaType, "send the rule as application/json")
			return
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRuleBody))
	dec.DisallowUnknownFields()
	var req RuleRequest
	if err := dec.Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeProblem(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the rule is larger than %d bytes", maxRuleBody))
			return
		}
		writeProblem(w, http.StatusBadRequest, "invalid JSON rule: "+err.Error())
		return
	}
	if _, err := dec.Token(); err != io.EOF {
		writeProblem(w, http.StatusBadRequest, "invalid JSON rule: one object expected, more data follows it")
		return
	}
	saved, err := n.AddRule(r.Context(), req)
	if re, ok := errors.AsType[*RuleError](err); ok {
		writeProblem(w, http.StatusBadRequest, re.Message)
		return
	}
	if err != nil {
		n.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/alerts/"+strconv.FormatInt(saved.ID, 10))
	writeJSON(w, http.StatusCreated, CreatedRule{AlertRule: saved, Secret: saved.Secret})
}

// RuleError is a rule refused for what it asks: Message says why (the
// detail of the API's 400 answer); Field names the request field at fault
// ("place", "min_tier", "topics", "min_sources", "webhook_url" or "secret").
type RuleError struct {
	Field   string
	Message string
}

func (e *RuleError) Error() string { return e.Message }

// AddRule checks a rule request as POST /api/v1/alerts does, stores the
// rule and has Stories read the rules again at once. The saved rule carries
// its secret (generated when the request gives none), to be shown once. A
// request that cannot make a rule gets a *RuleError; other errors are the
// store's.
func (n *Notifier) AddRule(ctx context.Context, req RuleRequest) (store.AlertRule, error) {
	rule, err := n.validate(req)
	if err != nil {
		return store.AlertRule{}, err
	}
	saved, err := n.Store.AddAlertRule(ctx, rule)
	if err != nil {
		return store.AlertRule{}, err
	}
	n.Invalidate()
	return saved, nil
}

// validate turns a request into a rule, or a *RuleError.
func (n *Notifier) validate(req RuleRequest) (store.AlertRule, error) {
	bad := func(field, format string, args ...any) (store.AlertRule, error) {
		return store.AlertRule{}, &RuleError{Field: field, Message: fmt.Sprintf(format, args...)}
	}
	place := strings.TrimSpace(req.Place)
	if place == "" {
		return bad("place", "place is required: a name (\"Istanbul\", \"Paris, Texas\"), a region, a GeoNames ID or \"lat,lon\"")
	}
	if len(place) > MaxPlaceLen {
		return bad("place", "place is longer than %d bytes", MaxPlaceLen)
	}
	reader, err := lens.ResolvePlace(n.Lens.G, place)
	if err != nil {
		return bad("place", "place: %v", err)
	}
	tier := DefaultMinTier
	if req.MinTier != "" {
		if tier, err = lens.ParseTier(req.MinTier); err != nil {
			return bad("min_tier", "min_tier: %v", err)
		}
	}
	known := map[string]bool{}
	var slugs []string
	for _, s := range topics.Taxonomy() {
		known[s.Slug] = true
		slugs = append(slugs, s.Slug)
	}
	if len(req.Topics) > maxTopics {
		return bad("topics", "topics: at most %d", maxTopics)
	}
	var ts []string
	for _, t := range req.Topics {
		if !known[t] {
			return bad("topics", "topics: unknown topic %q (known: %s)", t, strings.Join(slugs, ", "))
		}
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	if req.MinSources < 0 || req.MinSources > maxMinSources {
		return bad("min_sources", "min_sources must be between 0 and %d", maxMinSources)
	}
	if msg := n.checkWebhookURL(req.WebhookURL); msg != "" {
		return bad("webhook_url", "webhook_url: %s", msg)
	}
	secret := req.Secret
	switch {
	case secret == "":
		b := make([]byte, generatedSecret)
		rand.Read(b)
		secret = hex.EncodeToString(b)
	case len(secret) < minSecretLen || len(secret) > maxSecretLen:
		return bad("secret", "secret must be %d to %d characters (leave it out to have one generated)", minSecretLen, maxSecretLen)
	}
	var placeID int64
	if reader.Place != nil {
		placeID = reader.Place.ID
	}
	return store.AlertRule{Place: place, PlaceID: placeID, MinTier: string(tier), Topics: ts, MinSources: req.MinSources,
		WebhookURL: req.WebhookURL, Secret: secret}, nil
}

// checkWebhookURL explains what is wrong with a webhook URL, "" when
// nothing is. Hosts named by address are checked here; names are checked
// again at every connection, after DNS.
func (n *Notifier) checkWebhookURL(raw string) string {
	if raw == "" {
		return "required"
	}
	if len(raw) > maxURLLen {
		return fmt.Sprintf("longer than %d bytes", maxURLLen)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err.Error()
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "must be an http or https URL"
	}
	host := u.Hostname()
	if host == "" {
		return "has no host"
	}
	if u.User != nil {
		return "must not carry a user name or password"
	}
	if n.AllowPrivate {
		return ""
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return "points at this machine; only public addresses are allowed"
	}
	if a, err := netip.ParseAddr(host); err == nil && !publicAddr(a) {
		return "points at a non-public address; only public addresses are allowed"
	}
	return ""
}

func (n *Notifier) removeRule(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r) {
		return
	}
	id, ok := ruleID(w, r)
	if !ok {
		return
	}
	if err := n.Store.RemoveAlertRule(r.Context(), id); err != nil {
		n.writeError(w, r, err)
		return
	}
	n.Invalidate()
	w.WriteHeader(http.StatusNoContent)
}

func (n *Notifier) deliveries(w http.ResponseWriter, r *http.Request) {
	if !allowParams(w, r, "limit") {
		return
	}
	id, ok := ruleID(w, r)
	if !ok {
		return
	}
	limit := 20
	if v := r.URL.Query().Get("limit"); v != "" {
		l, err := strconv.Atoi(v)
		if err != nil || l < 1 || l > 500 {
			writeProblem(w, http.StatusBadRequest, fmt.Sprintf("limit %q must be an integer from 1 to 500", v))
			return
		}
		limit = l
	}
	ds, err := n.Store.Deliveries(r.Context(), id, limit)
	if err != nil {
		n.writeError(w, r, err)
		return
	}
	if ds == nil {
		ds = []store.Delivery{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rule_id": id, "deliveries": ds})
}

// writeProblem, writeJSON and allowParams follow the shared conventions.
var (
	writeProblem = httpjson.WriteProblem
	writeJSON    = httpjson.WriteJSON
	allowParams  = httpjson.AllowParams
)
