CREATE TABLE claims (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	idx         INTEGER NOT NULL,
	event_type  TEXT NOT NULL,
	incident_id INTEGER,
	body        TEXT NOT NULL, -- the Claim as JSON
	created_at  TEXT NOT NULL,
	UNIQUE (document_id, idx)
);
CREATE INDEX claims_event_type ON claims(event_type);
CREATE INDEX claims_incident ON claims(incident_id);

CREATE TABLE places (
	id    TEXT PRIMARY KEY,
	pcode TEXT NOT NULL DEFAULT '',
	body  TEXT NOT NULL -- the Place as JSON
);
CREATE INDEX places_pcode ON places(pcode);
