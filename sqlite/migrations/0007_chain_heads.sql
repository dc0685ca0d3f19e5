-- The end of each hash chain, updated with every append, so that
-- verification notices entries removed from the end of a log.
CREATE TABLE chain_heads (
	name    TEXT PRIMARY KEY,
	hash    TEXT NOT NULL,
	entries INTEGER NOT NULL
);
INSERT INTO chain_heads (name, hash, entries) VALUES
	('custody', COALESCE((SELECT hash FROM custody_events ORDER BY id DESC LIMIT 1), ''), (SELECT count(*) FROM custody_events)),
	('audit', COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''), (SELECT count(*) FROM audit_log));
