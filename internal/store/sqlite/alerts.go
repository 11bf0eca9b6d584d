package sqlite

import (
	"context"
	"database/sql"
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

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func alertRuleExists(ctx context.Context, q queryer, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_rules WHERE id = ?`, id).Scan(&n)
	return n > 0, err
}

// ClaimAlert records that a rule fires for a story at a tier, unless it
// already fired at that tier or a closer one, and queues the alert. One
// immediate transaction: SQLite runs it under the database's write lock.
func (d *DB) ClaimAlert(ctx context.Context, a store.QueuedAlert, tierRank int) (claimed bool, err error) {
	now := d.now()
	a, err = store.NewQueuedAlert(a, now)
	if err != nil {
		return false, fmt.Errorf("claim alert: %w", err)
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("claim alert %d/%s: %w", a.RuleID, a.StoryID, err)
		}
	}()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO alert_claims(rule_id, story_id, tier, tier_rank, claimed)
		SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ?)
		ON CONFLICT(rule_id, story_id) DO UPDATE SET tier = excluded.tier, tier_rank = excluded.tier_rank, claimed = excluded.claimed
		WHERE excluded.tier_rank < alert_claims.tier_rank`,
		a.RuleID, a.StoryID, a.Tier, tierRank, now.Unix(), a.RuleID)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		ok, err := alertRuleExists(ctx, tx, a.RuleID)
		if err != nil {
			return false, err
		}
		if !ok {
			return false, fmt.Errorf("rule: %w", store.ErrNotFound)
		}
		return false, nil
	}
	// A delivery ID names one rule, story and tier, which a claim wins
	// once: a row already there can only be this very alert.
	if _, err := tx.ExecContext(ctx, `INSERT INTO alert_queue(id, rule_id, story_id, tier, payload, next_at, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
		a.ID, a.RuleID, a.StoryID, a.Tier, a.Payload, a.NextAt.UnixMilli(), now.UnixMilli(), now.UnixMilli()); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	return true, nil
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

// LeaseAlerts leases due alerts to owner. One UPDATE statement: SQLite
// takes the write lock before it reads, so concurrent callers, in this
// process or another one on the same file, see each other's leases.
func (d *DB) LeaseAlerts(ctx context.Context, owner string, now, until time.Time, limit int) ([]store.QueuedAlert, error) {
	if owner == "" {
		return nil, fmt.Errorf("lease alerts: no owner")
	}
	if limit <= 0 {
		return nil, nil
	}
	rows, err := d.db.QueryContext(ctx, `UPDATE alert_queue SET lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated = ?
		WHERE id IN (SELECT id FROM alert_queue WHERE status = 'pending' AND next_at <= ? AND lease_until <= ?
			ORDER BY next_at, id LIMIT ?)
		RETURNING id, rule_id, story_id, tier, payload, attempts, next_at`,
		owner, until.UnixMilli(), d.now().UnixMilli(), now.UnixMilli(), now.UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("lease alerts: %w", err)
	}
	defer rows.Close()
	var out []store.QueuedAlert
	for rows.Next() {
		var (
			a    store.QueuedAlert
			next int64
		)
		if err := rows.Scan(&a.ID, &a.RuleID, &a.StoryID, &a.Tier, &a.Payload, &a.Attempts, &next); err != nil {
			return nil, fmt.Errorf("lease alerts: %w", err)
		}
		a.NextAt = time.UnixMilli(next).UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lease alerts: %w", err)
	}
	store.SortQueued(out)
	return out, nil
}

// RecordDelivery appends one attempt to a rule's delivery log and, for the
// lease holder, moves the alert's queue entry on, in one transaction.
func (d *DB) RecordDelivery(ctx context.Context, dl store.Delivery) (err error) {
	now := d.now()
	dl = dl.Stamped(now)
	defer func() {
		if err != nil {
			err = fmt.Errorf("record delivery %s: %w", dl.ID, err)
		}
	}()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO alert_deliveries(id, rule_id, story_id, tier, attempt, status, http_status, error, at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM alert_rules WHERE id = ?)`,
		dl.ID, dl.RuleID, dl.StoryID, dl.Tier, dl.Attempt, dl.Status, dl.HTTPStatus, dl.Error, dl.At.UnixMilli(), dl.RuleID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("rule %d: %w", dl.RuleID, store.ErrNotFound)
	}
	if dl.Lease != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_queue SET status = ?, next_at = CASE WHEN ? THEN ? ELSE next_at END,
			lease_owner = '', lease_until = 0, updated = ?
			WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
			dl.QueueStatus(), dl.Status == store.DeliveryRetrying, dl.NextAt.UnixMilli(), now.UnixMilli(), dl.ID, dl.Lease); err != nil {
			return err
		}
	}
	return tx.Commit()
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
		ok, err := alertRuleExists(ctx, d.db, ruleID)
		if err != nil {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
		}
		if !ok {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, store.ErrNotFound)
		}
	}
	return out, nil
}

// PruneAlerts deletes finished queue entries and logged attempts older than
// before, in one transaction; claims and pending alerts stay.
func (d *DB) PruneAlerts(ctx context.Context, before time.Time) (n int64, err error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("prune alerts: %w", err)
	}
	defer tx.Rollback()
	cut := before.UnixMilli()
	for _, q := range []string{
		`DELETE FROM alert_deliveries WHERE at < ?
			AND NOT EXISTS (SELECT 1 FROM alert_queue q WHERE q.id = alert_deliveries.id AND q.status = 'pending')`,
		`DELETE FROM alert_queue WHERE status IN ('delivered', 'failed') AND updated < ?`,
	} {
		res, err := tx.ExecContext(ctx, q, cut)
		if err != nil {
			return 0, fmt.Errorf("prune alerts: %w", err)
		}
		c, _ := res.RowsAffected()
		n += c
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("prune alerts: %w", err)
	}
	return n, nil
}
