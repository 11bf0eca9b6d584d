-- The alert delivery queue: one row per alert (rule, story and tier), written
-- in the transaction of its claim, so that an alert outlives the process that
-- claimed it. A finished row keeps its final status (delivered or failed) until
-- PruneAlerts deletes it past the notifier's retention, with the delivery log's
-- old rows (the claims stay). A notifier leases
-- due rows before an attempt (lease_owner, lease_until), so that instances
-- sharing the database never attempt one alert at once, and a row whose
-- holder died is handed out again when its lease ends.
CREATE TABLE alert_queue (
    id          TEXT    PRIMARY KEY,                 -- the delivery ID
    rule_id     INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    story_id    TEXT    NOT NULL,
    tier        TEXT    NOT NULL,
    payload     BLOB    NOT NULL,                    -- JSON webhook body without its sending time
    status      TEXT    NOT NULL DEFAULT 'pending',  -- pending, delivered, failed
    attempts    INTEGER NOT NULL DEFAULT 0,          -- attempts started
    next_at     INTEGER NOT NULL,                    -- unix milliseconds: due from then on
    lease_owner TEXT    NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,          -- unix milliseconds
    created     INTEGER NOT NULL,                    -- unix milliseconds
    updated     INTEGER NOT NULL                     -- unix milliseconds
);
CREATE INDEX alert_queue_due ON alert_queue(next_at, id) WHERE status = 'pending';
CREATE INDEX alert_queue_rule ON alert_queue(rule_id);
