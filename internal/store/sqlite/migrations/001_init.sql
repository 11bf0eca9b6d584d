-- Articles, their full-text index and feed subscriptions.
CREATE TABLE articles (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    url           TEXT    NOT NULL DEFAULT '',
    canonical_url TEXT,
    title         TEXT    NOT NULL,
    byline        TEXT    NOT NULL DEFAULT '',
    published     INTEGER,             -- unix seconds, NULL when unknown
    sort_time     INTEGER NOT NULL,    -- published, else fetched: the listing order
    lang          TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    license       TEXT    NOT NULL DEFAULT '',
    feed_id       INTEGER,
    content_hash  TEXT    NOT NULL,
    fetched       INTEGER NOT NULL,
    analysis      TEXT,                -- JSON of article.Analysis
    story_id      TEXT
);
CREATE UNIQUE INDEX articles_canonical_url ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
CREATE UNIQUE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_sort ON articles(sort_time DESC, seq DESC);
CREATE INDEX articles_story ON articles(story_id) WHERE story_id IS NOT NULL;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL DEFAULT '',
    site_url      TEXT    NOT NULL DEFAULT '',
    category      TEXT    NOT NULL DEFAULT '',
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_fetch    INTEGER NOT NULL DEFAULT 0,
    next_fetch    INTEGER NOT NULL DEFAULT 0,
    error_count   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    items         INTEGER NOT NULL DEFAULT 0,
    added         INTEGER NOT NULL
);
