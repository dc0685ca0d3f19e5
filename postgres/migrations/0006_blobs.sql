-- The content-addressed blob store inside PostgreSQL (used with
-- --blobs postgres): original bytes named by their SHA-256.
CREATE TABLE blobs (
	sha256     text PRIMARY KEY CHECK (length(sha256) = 64),
	size       bigint NOT NULL,
	data       bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
-- the bytes are already compressed or small; do not try to compress them again
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
