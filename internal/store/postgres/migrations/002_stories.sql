-- Stories built by the clustering step, their focus countries and places,
-- their topics (for filters), and the redirects left by merges.
CREATE TABLE stories (
    id         text COLLATE "C" PRIMARY KEY,
    headline   text NOT NULL,
    first_seen timestamptz,
    last_seen  timestamptz NOT NULL, -- whole seconds; updated time when no article is dated
    articles   integer NOT NULL,
    sources    integer NOT NULL,
    data       jsonb NOT NULL        -- article.Story
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC, id DESC);

CREATE TABLE story_places (
    story_id  text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    geonameid bigint NOT NULL,
    country   text NOT NULL,
    weight    double precision NOT NULL,
    PRIMARY KEY (story_id, geonameid)
);
CREATE INDEX story_places_country ON story_places (country);
CREATE INDEX story_places_place ON story_places (geonameid);

CREATE TABLE story_topics (
    story_id text COLLATE "C" NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    slug     text NOT NULL,
    score    double precision NOT NULL,
    PRIMARY KEY (story_id, slug)
);
CREATE INDEX story_topics_slug ON story_topics (slug);

CREATE TABLE story_redirects (
    from_id text COLLATE "C" PRIMARY KEY,
    to_id   text COLLATE "C" NOT NULL
);
CREATE INDEX story_redirects_to ON story_redirects (to_id);
