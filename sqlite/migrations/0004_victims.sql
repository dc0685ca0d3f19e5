-- Victim lists, their records, linkage runs, persons and the clerical queue.
CREATE TABLE victim_lists (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

CREATE TABLE victim_records (
	id         INTEGER PRIMARY KEY,
	list_id    INTEGER NOT NULL REFERENCES victim_lists(id),
	record_id  TEXT NOT NULL,        -- the list's own id
	line       INTEGER NOT NULL DEFAULT 0,
	body       TEXT NOT NULL,        -- the VictimRecord as JSON
	person_id  TEXT,                 -- set by linkage
	updated_at TEXT NOT NULL,
	UNIQUE (list_id, record_id)
);
CREATE INDEX victim_records_person ON victim_records(person_id);

CREATE TABLE link_runs (
	id          INTEGER PRIMARY KEY,
	started_at  TEXT NOT NULL,
	finished_at TEXT NOT NULL,
	body        TEXT NOT NULL        -- the LinkRun as JSON
);

-- the review queue of the latest run: uncertain pairs, a < b
CREATE TABLE review_pairs (
	a           INTEGER NOT NULL REFERENCES victim_records(id),
	b           INTEGER NOT NULL REFERENCES victim_records(id),
	run_id      INTEGER NOT NULL REFERENCES link_runs(id),
	weight      REAL NOT NULL,
	probability REAL NOT NULL,
	explanation TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (a, b)
);

-- reviewers' decisions, kept across runs, a < b
CREATE TABLE pair_decisions (
	a          INTEGER NOT NULL REFERENCES victim_records(id),
	b          INTEGER NOT NULL REFERENCES victim_records(id),
	match      INTEGER NOT NULL,
	reviewer   TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	decided_at TEXT NOT NULL,
	PRIMARY KEY (a, b)
);
