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
// already fired at that tier or a closer one. Concurrent claims of one story
// serialise on its row: the later one re-checks the rank it finds there.
func (d *DB) ClaimAlert(ctx context.Context, ruleID int64, storyID string, tier string, tierRank int) (bool, error) {
	tag, err := d.pool.Exec(ctx, `INSERT INTO alert_claims (rule_id, story_id, tier, tier_rank, claimed) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (rule_id, story_id) DO UPDATE SET tier = EXCLUDED.tier, tier_rank = EXCLUDED.tier_rank, claimed = EXCLUDED.claimed
		WHERE EXCLUDED.tier_rank < alert_claims.tier_rank`,
		ruleID, clean(storyID), clean(tier), tierRank, sec(d.now()))
	if missingRule(err) {
		return false, fmt.Errorf("claim alert %d/%s: rule: %w", ruleID, storyID, store.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("claim alert %d/%s: %w", ruleID, storyID, err)
	}
	return tag.RowsAffected() > 0, nil
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

// RecordDelivery appends one attempt to a rule's delivery log.
func (d *DB) RecordDelivery(ctx context.Context, dl store.Delivery) error {
	dl = dl.Stamped(d.now())
	_, err := d.pool.Exec(ctx, `INSERT INTO alert_deliveries (id, rule_id, story_id, tier, attempt, status, http_status, error, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		clean(dl.ID), dl.RuleID, clean(dl.StoryID), clean(dl.Tier), dl.Attempt, clean(dl.Status), dl.HTTPStatus, clean(dl.Error), dl.At)
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
