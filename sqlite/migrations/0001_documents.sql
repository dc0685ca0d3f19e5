CREATE TABLE documents (
	id         INTEGER PRIMARY KEY,
	sha256     TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
	size       INTEGER NOT NULL CHECK (size >= 0),
	media_type TEXT NOT NULL,
	filename   TEXT NOT NULL DEFAULT '',
	title      TEXT NOT NULL DEFAULT '',
	publisher  TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	language   TEXT NOT NULL DEFAULT '',
	published  TEXT,            -- FuzzyDate JSON
	published_earliest TEXT,    -- RFC 3339, for filtering
	published_latest   TEXT,
	captured   TEXT NOT NULL,
	kind       TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX documents_language ON documents(language);
CREATE INDEX documents_publisher ON documents(publisher);
CREATE INDEX documents_published ON documents(published_earliest);

CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE custody_events (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	action      TEXT NOT NULL,
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT '',
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX custody_events_document ON custody_events(document_id);
