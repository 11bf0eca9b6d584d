-- Stories built by the clustering step, their focus countries and places,
-- their topics (for filters), and the redirects left by merges.
ALTER TABLE articles ADD COLUMN dup_of TEXT;

CREATE TABLE stories (
    id           TEXT    PRIMARY KEY,
    headline     TEXT    NOT NULL,
    first_seen   INTEGER,
    last_seen    INTEGER NOT NULL,   -- unix seconds; updated time when no article is dated
    articles     INTEGER NOT NULL,
    sources      INTEGER NOT NULL,
    data         TEXT    NOT NULL    -- JSON of article.Story
);
CREATE INDEX stories_last_seen ON stories(last_seen DESC, id DESC);

CREATE TABLE story_places (
    story_id  TEXT    NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    geonameid INTEGER NOT NULL,
    country   TEXT    NOT NULL,
    weight    REAL    NOT NULL,
    PRIMARY KEY (story_id, geonameid)
);
CREATE INDEX story_places_country ON story_places(country);
CREATE INDEX story_places_place ON story_places(geonameid);

CREATE TABLE story_topics (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    slug     TEXT NOT NULL,
    score    REAL NOT NULL,
    PRIMARY KEY (story_id, slug)
);
CREATE INDEX story_topics_slug ON story_topics(slug);

CREATE TABLE story_redirects (
    from_id TEXT PRIMARY KEY,
    to_id   TEXT NOT NULL
);
