CREATE TABLE incidents (
	id             INTEGER PRIMARY KEY,
	body           TEXT NOT NULL, -- the Incident as JSON
	event_type     TEXT NOT NULL,
	date_earliest  TEXT,
	date_latest    TEXT,
	governorate    TEXT NOT NULL DEFAULT '', -- level-1 p-code
	governorate_name TEXT NOT NULL DEFAULT '',
	grade          TEXT NOT NULL DEFAULT '',
	review         TEXT NOT NULL,
	has_children   INTEGER NOT NULL DEFAULT 0,
	killed_max     INTEGER,
	merged_into    INTEGER REFERENCES incidents(id),
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX incidents_date ON incidents(date_earliest);
CREATE INDEX incidents_gov ON incidents(governorate);
CREATE INDEX incidents_review ON incidents(review);

CREATE TABLE incident_keys (
	incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL, -- pcode, actor, facility
	value       TEXT NOT NULL,
	PRIMARY KEY (kind, value, incident_id)
);
CREATE INDEX incident_keys_incident ON incident_keys(incident_id);

CREATE TABLE match_decisions (
	id          INTEGER PRIMARY KEY,
	claim_id    INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	body        TEXT NOT NULL,
	decided_at  TEXT NOT NULL
);
CREATE INDEX match_decisions_incident ON match_decisions(incident_id);
CREATE INDEX match_decisions_claim ON match_decisions(claim_id);

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id INTEGER NOT NULL,
	field     TEXT NOT NULL DEFAULT '',
	old       TEXT NOT NULL DEFAULT '',
	new       TEXT NOT NULL DEFAULT '',
	reason    TEXT NOT NULL DEFAULT '',
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
