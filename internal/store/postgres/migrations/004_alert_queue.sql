-- The alert delivery queue: one row per alert (rule, story and tier), written
-- in the transaction of its claim, so that an alert outlives the process that
-- claimed it. A finished row keeps its final status (delivered or failed) until
-- PruneAlerts deletes it past the notifier's retention, with the delivery log's
-- old rows (the claims stay). A notifier leases
-- due rows before an attempt (lease_owner, lease_until; FOR UPDATE SKIP
-- LOCKED), so that instances sharing the database never attempt one alert at
-- once, and a row whose holder died is handed out again when its lease ends.
CREATE TABLE alert_queue (
    id          text COLLATE "C" PRIMARY KEY,        -- the delivery ID
    rule_id     bigint NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
    story_id    text COLLATE "C" NOT NULL,
    tier        text NOT NULL,
    payload     bytea NOT NULL,                      -- JSON webhook body without its sending time
    status      text NOT NULL DEFAULT 'pending',     -- pending, delivered, failed
    attempts    integer NOT NULL DEFAULT 0,          -- attempts started
    next_at     timestamptz NOT NULL,                -- due from then on (millisecond precision)
    lease_owner text NOT NULL DEFAULT '',
    lease_until timestamptz NOT NULL DEFAULT '-infinity',
    created     timestamptz NOT NULL,
    updated     timestamptz NOT NULL
);
CREATE INDEX alert_queue_due ON alert_queue (next_at, id) WHERE status = 'pending';
CREATE INDEX alert_queue_rule ON alert_queue (rule_id);
