-- Alerts: watched places with rules, the tier each rule last fired at for a
-- story (so an alert goes out once per tier change), and the delivery log.
CREATE TABLE alert_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    place       TEXT    NOT NULL,
    place_id    INTEGER NOT NULL DEFAULT 0,
    min_tier    TEXT    NOT NULL,
    topics      TEXT    NOT NULL DEFAULT '[]',  -- JSON array of topic slugs
    min_sources INTEGER NOT NULL DEFAULT 0,
    webhook_url TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    created     INTEGER NOT NULL                -- unix seconds
);

CREATE TABLE alert_claims (
    rule_id   INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    story_id  TEXT    NOT NULL,
    tier      TEXT    NOT NULL,
    tier_rank INTEGER NOT NULL,                 -- 0 = closest tier
    claimed   INTEGER NOT NULL,                 -- unix seconds
    PRIMARY KEY (rule_id, story_id)
);

CREATE TABLE alert_deliveries (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL,
    rule_id     INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    story_id    TEXT    NOT NULL,
    tier        TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    http_status INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL                -- unix milliseconds
);
CREATE INDEX alert_deliveries_rule ON alert_deliveries(rule_id, at DESC, seq DESC);
