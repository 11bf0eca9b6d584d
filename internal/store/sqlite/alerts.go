package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/vantage-news/vantage/internal/store"
)

const alertRuleCols = `id, place, place_id, min_tier, topics, min_sources, webhook_url, secret, created`

func scanAlertRule(r rowScanner) (store.AlertRule, error) {
	var (
		a       store.AlertRule
		topics  string
		created int64
	)
	if err := r.Scan(&a.ID, &a.Place, &a.PlaceID, &a.MinTier, &topics, &a.MinSources, &a.WebhookURL, &a.Secret, &created); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(topics), &a.Topics); err != nil {
		return a, fmt.Errorf("alert rule %d topics: %w", a.ID, err)
	}
	if len(a.Topics) == 0 {
		a.Topics = nil
	}
	a.Created = time.Unix(created, 0).UTC()
	return a, nil
}

// AddAlertRule saves a rule.
func (d *DB) AddAlertRule(ctx context.Context, r store.AlertRule) (store.AlertRule, error) {
	r, err := store.NewAlertRule(r, d.now())
	if err != nil {
		return store.AlertRule{}, fmt.Errorf("add alert rule: %w", err)
	}
	tj, err := json.Marshal(r.Topics)
	if err != nil {
		return store.AlertRule{}, fmt.Errorf("add alert rule: %w", err)
	}
	out, err := scanAlertRule(d.db.QueryRowContext(ctx, `INSERT INTO alert_rules(place, place_id, min_tier, topics, min_sources, webhook_url, secret, created)
		VALUES (?,?,?,?,?,?,?,?) RETURNING `+alertRuleCols,
		r.Place, r.PlaceID, r.MinTier, string(tj), r.MinSources, r.WebhookURL, r.Secret, r.Created.Unix()))
	if err != nil {
		return store.AlertRule{}, fmt.Errorf("add alert rule: %w", err)
	}
	return out, nil
}

// AlertRules lists every rule, oldest first.
func (d *DB) AlertRules(ctx context.Context) ([]store.AlertRule, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+alertRuleCols+` FROM alert_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	defer rows.Close()
	var out []store.AlertRule
	for rows.Next() {
		a, err := scanAlertRule(rows)
		if err != nil {
			return nil, fmt.Errorf("list alert rules: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RemoveAlertRule deletes a rule, its claims and its delivery log.
func (d *DB) RemoveAlertRule(ctx context.Context, id int64) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM alert_rules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove alert rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove alert rule %d: %w", id, store.ErrNotFound)
	}
	return nil
}

func (d *DB) alertRuleExists(ctx context.Context, id int64) (bool, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_rules WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// ClaimAlert records that a rule fires for a story at a tier, unless it
// already fired at that tier or a closer one. One statement: SQLite runs it
// under the database's write lock.
func (d *DB) ClaimAlert(ctx context.Context, ruleID int64, storyID string, tier string, tierRank int) (bool, error) {
	res, err := d.db.ExecContext(ctx, `INSERT INTO alert_claims(rule_id, story_id, tier, tier_rank, claimed)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ?)
		ON CONFLICT(rule_id, story_id) DO UPDATE SET tier = excluded.tier, tier_rank = excluded.tier_rank, claimed = excluded.claimed
		WHERE excluded.tier_rank < alert_claims.tier_rank`,
		ruleID, storyID, tier, tierRank, d.now().Unix(), ruleID)
	if err != nil {
		return false, fmt.Errorf("claim alert %d/%s: %w", ruleID, storyID, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	ok, err := d.alertRuleExists(ctx, ruleID)
	if err != nil {
		return false, fmt.Errorf("claim alert %d/%s: %w", ruleID, storyID, err)
	}
	if !ok {
		return false, fmt.Errorf("claim alert %d/%s: rule: %w", ruleID, storyID, store.ErrNotFound)
	}
	return false, nil
}

// ClaimedTier is the tier a rule last fired at for a story, "" when never.
func (d *DB) ClaimedTier(ctx context.Context, ruleID int64, storyID string) (string, error) {
	var tier string
	err := d.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT tier FROM alert_claims WHERE rule_id = ? AND story_id = ?), '')`,
		ruleID, storyID).Scan(&tier)
	if err != nil {
		return "", fmt.Errorf("claimed tier %d/%s: %w", ruleID, storyID, err)
	}
	return tier, nil
}

// RecordDelivery appends one attempt to a rule's delivery log.
func (d *DB) RecordDelivery(ctx context.Context, dl store.Delivery) error {
	dl = dl.Stamped(d.now())
	res, err := d.db.ExecContext(ctx, `INSERT INTO alert_deliveries(id, rule_id, story_id, tier, attempt, status, http_status, error, at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ?)`,
		dl.ID, dl.RuleID, dl.StoryID, dl.Tier, dl.Attempt, dl.Status, dl.HTTPStatus, dl.Error, dl.At.UnixMilli(), dl.RuleID)
	if err != nil {
		return fmt.Errorf("record delivery %s: %w", dl.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("record delivery %s: rule %d: %w", dl.ID, dl.RuleID, store.ErrNotFound)
	}
	return nil
}

// Deliveries returns a rule's latest delivery attempts, newest first.
func (d *DB) Deliveries(ctx context.Context, ruleID int64, limit int) ([]store.Delivery, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, rule_id, story_id, tier, attempt, status, http_status, error, at
		FROM alert_deliveries WHERE rule_id = ? ORDER BY at DESC, seq DESC LIMIT ?`, ruleID, store.ClampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
	}
	defer rows.Close()
	var out []store.Delivery
	for rows.Next() {
		var (
			dl store.Delivery
			at int64
		)
		if err := rows.Scan(&dl.ID, &dl.RuleID, &dl.StoryID, &dl.Tier, &dl.Attempt, &dl.Status, &dl.HTTPStatus, &dl.Error, &at); err != nil {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
		}
		dl.At = time.UnixMilli(at).UTC()
		out = append(out, dl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
	}
	if len(out) == 0 {
		ok, err := d.alertRuleExists(ctx, ruleID)
		if err != nil {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
		}
		if !ok {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, store.ErrNotFound)
		}
	}
	return out, nil
}
