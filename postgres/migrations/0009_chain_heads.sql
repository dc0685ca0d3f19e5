-- The end of each hash chain, updated with every append (see the SQLite twin).
CREATE TABLE chain_heads (
	name    text PRIMARY KEY,
	hash    text NOT NULL,
	entries bigint NOT NULL
);
INSERT INTO chain_heads (name, hash, entries) VALUES
	('custody', COALESCE((SELECT hash FROM custody_events ORDER BY id DESC LIMIT 1), ''), (SELECT count(*) FROM custody_events)),
	('audit', COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''), (SELECT count(*) FROM audit_log));
