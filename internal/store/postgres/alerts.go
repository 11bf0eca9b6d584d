package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/vantage-news/vantage/internal/store"
)

const alertRuleCols = `id, place, place_id, min_tier, topics, min_sources, webhook_url, secret, created`

func scanAlertRule(r pgx.Row) (store.AlertRule, error) {
	var (
		a       store.AlertRule
		created time.Time
	)
	err := r.Scan(&a.ID, &a.Place, &a.PlaceID, &a.MinTier, &a.Topics, &a.MinSources, &a.WebhookURL, &a.Secret, &created)
	if len(a.Topics) == 0 {
		a.Topics = nil
	}
	a.Created = created.UTC()
	return a, err
}

// missingRule reports a foreign-key violation: the rule named is gone.
func missingRule(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// AddAlertRule saves a rule.
func (d *DB) AddAlertRule(ctx context.Context, r store.AlertRule) (store.AlertRule, error) {
	r, err := store.NewAlertRule(r, d.now())
	if err != nil {
		return store.AlertRule{}, fmt.Errorf("add alert rule: %w", err)
	}
	topics := make([]string, len(r.Topics))
	for i, t := range r.Topics {
		topics[i] = clean(t)
	}
	out, err := scanAlertRule(d.pool.QueryRow(ctx, `INSERT INTO alert_rules (place, place_id, min_tier, topics, min_sources, webhook_url, secret, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING `+alertRuleCols,
		clean(r.Place), r.PlaceID, clean(r.MinTier), topics, r.MinSources, clean(r.WebhookURL), clean(r.Secret), sec(r.Created)))
	if err != nil {
		return store.AlertRule{}, fmt.Errorf("add alert rule: %w", err)
	}
	return out, nil
}

// AlertRules lists every rule, oldest first.
func (d *DB) AlertRules(ctx context.Context) ([]store.AlertRule, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+alertRuleCols+` FROM alert_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AlertRule, error) { return scanAlertRule(r) })
	if err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	return out, nil
}

// RemoveAlertRule deletes a rule, its claims and its delivery log.
func (d *DB) RemoveAlertRule(ctx context.Context, id int64) error {
	tag, err := d.pool.Exec(ctx, `DELETE FROM alert_rules WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("remove alert rule %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("remove alert rule %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// ClaimAlert records that a rule fires for a story at a tier, unless it
// already fired at that tier or a closer one, and queues the alert, in one
// transaction. Concurrent claims of one story serialise on its row: the
// later one re-checks the rank it finds there.
func (d *DB) ClaimAlert(ctx context.Context, a store.QueuedAlert, tierRank int) (claimed bool, err error) {
	now := d.now()
	a, err = store.NewQueuedAlert(a, now)
	if err != nil {
		return false, fmt.Errorf("claim alert: %w", err)
	}
	err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO alert_claims (rule_id, story_id, tier, tier_rank, claimed) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (rule_id, story_id) DO UPDATE SET tier = EXCLUDED.tier, tier_rank = EXCLUDED.tier_rank, claimed = EXCLUDED.claimed
			WHERE EXCLUDED.tier_rank < alert_claims.tier_rank`,
			a.RuleID, clean(a.StoryID), clean(a.Tier), tierRank, sec(now))
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		// A delivery ID names one rule, story and tier, which a claim wins
		// once: a row already there can only be this very alert.
		_, err = tx.Exec(ctx, `INSERT INTO alert_queue (id, rule_id, story_id, tier, payload, next_at, created, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING`,
			clean(a.ID), a.RuleID, clean(a.StoryID), clean(a.Tier), a.Payload, a.NextAt, now)
		claimed = err == nil
		return err
	})
	if missingRule(err) {
		return false, fmt.Errorf("claim alert %d/%s: rule: %w", a.RuleID, a.StoryID, store.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("claim alert %d/%s: %w", a.RuleID, a.StoryID, err)
	}
	return claimed, nil
}

// ClaimedTier is the tier a rule last fired at for a story, "" when never.
func (d *DB) ClaimedTier(ctx context.Context, ruleID int64, storyID string) (string, error) {
	var tier string
	err := d.pool.QueryRow(ctx, `SELECT COALESCE((SELECT tier FROM alert_claims WHERE rule_id = $1 AND story_id = $2), '')`,
		ruleID, clean(storyID)).Scan(&tier)
	if err != nil {
		return "", fmt.Errorf("claimed tier %d/%s: %w", ruleID, storyID, err)
	}
	return tier, nil
}

// LeaseAlerts leases due alerts to owner. The due rows are locked with FOR
// UPDATE SKIP LOCKED, so concurrent callers on other instances pass over
// the rows one of them is taking, and a row leased meanwhile is checked
// again (and skipped) once its lock is free.
func (d *DB) LeaseAlerts(ctx context.Context, owner string, now, until time.Time, limit int) ([]store.QueuedAlert, error) {
	if owner == "" {
		return nil, fmt.Errorf("lease alerts: no owner")
	}
	if limit <= 0 {
		return nil, nil
	}
	rows, err := d.pool.Query(ctx, `UPDATE alert_queue q SET lease_owner = $1, lease_until = $2, attempts = q.attempts + 1, updated = $3
		FROM (SELECT id FROM alert_queue WHERE status = 'pending' AND next_at <= $4 AND lease_until <= $4
			ORDER BY next_at, id LIMIT $5 FOR UPDATE SKIP LOCKED) due
		WHERE q.id = due.id
		RETURNING q.id, q.rule_id, q.story_id, q.tier, q.payload, q.attempts, q.next_at`,
		clean(owner), until, d.now(), now, limit)
	if err != nil {
		return nil, fmt.Errorf("lease alerts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.QueuedAlert, error) {
		var a store.QueuedAlert
		err := r.Scan(&a.ID, &a.RuleID, &a.StoryID, &a.Tier, &a.Payload, &a.Attempts, &a.NextAt)
		a.NextAt = a.NextAt.UTC()
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("lease alerts: %w", err)
	}
	store.SortQueued(out)
	return out, nil
}

// RecordDelivery appends one attempt to a rule's delivery log and, for the
// lease holder, moves the alert's queue entry on, in one transaction.
func (d *DB) RecordDelivery(ctx context.Context, dl store.Delivery) error {
	now := d.now()
	dl = dl.Stamped(now)
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO alert_deliveries (id, rule_id, story_id, tier, attempt, status, http_status, error, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			clean(dl.ID), dl.RuleID, clean(dl.StoryID), clean(dl.Tier), dl.Attempt, clean(dl.Status), dl.HTTPStatus, clean(dl.Error), dl.At)
		if err != nil || dl.Lease == "" {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE alert_queue SET status = $1, next_at = CASE WHEN $2 THEN $3 ELSE next_at END,
			lease_owner = '', lease_until = '-infinity', updated = $4
			WHERE id = $5 AND lease_owner = $6 AND status = 'pending'`,
			clean(dl.QueueStatus()), dl.Status == store.DeliveryRetrying, dl.NextAt, now, clean(dl.ID), clean(dl.Lease))
		return err
	})
	if missingRule(err) {
		return fmt.Errorf("record delivery %s: rule %d: %w", dl.ID, dl.RuleID, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("record delivery %s: %w", dl.ID, err)
	}
	return nil
}

// Deliveries returns a rule's latest delivery attempts, newest first.
func (d *DB) Deliveries(ctx context.Context, ruleID int64, limit int) ([]store.Delivery, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, rule_id, story_id, tier, attempt, status, http_status, error, at
		FROM alert_deliveries WHERE rule_id = $1 ORDER BY at DESC, seq DESC LIMIT $2`, ruleID, store.ClampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Delivery, error) {
		var dl store.Delivery
		err := r.Scan(&dl.ID, &dl.RuleID, &dl.StoryID, &dl.Tier, &dl.Attempt, &dl.Status, &dl.HTTPStatus, &dl.Error, &dl.At)
		dl.At = dl.At.UTC()
		return dl, err
	})
	if err != nil {
		return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
	}
	if len(out) == 0 {
		var exists bool
		if err := d.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM alert_rules WHERE id = $1)`, ruleID).Scan(&exists); err != nil {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, err)
		}
		if !exists {
			return nil, fmt.Errorf("deliveries of rule %d: %w", ruleID, store.ErrNotFound)
		}
	}
	return out, nil
}

// PruneAlerts deletes finished queue entries and logged attempts older than
// before, in one transaction; claims and pending alerts stay.
func (d *DB) PruneAlerts(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		for _, q := range []string{
			`DELETE FROM alert_deliveries l WHERE l.at < $1
				AND NOT EXISTS (SELECT 1 FROM alert_queue q WHERE q.id = l.id COLLATE "C" AND q.status = 'pending')`,
			`DELETE FROM alert_queue WHERE status IN ('delivered', 'failed') AND updated < $1`,
		} {
			tag, err := tx.Exec(ctx, q, before)
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("prune alerts: %w", err)
	}
	return n, nil
}
