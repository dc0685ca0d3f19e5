package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/blob"
)

// BlobStore is a content-addressed store of original bytes inside
// PostgreSQL: the blobs table, one bytea row per SHA-256. Every process
// connected to the database sees the same blobs, so no shared filesystem is
// needed.
type BlobStore struct {
	db *sql.DB
}

var _ vigil.BlobStore = (*BlobStore)(nil)

// Blobs returns the blob store in d's database and schema. It shares d's
// pool; blobs are written outside any Atomic transaction, as on the
// filesystem, so a document's bytes are stored before its row.
func (d *DB) Blobs() *BlobStore { return &BlobStore{db: d.SQL()} }

// Put implements vigil.BlobStore; storing the same bytes again is a no-op.
func (s *BlobStore) Put(ctx context.Context, data []byte) (string, error) {
	sha := blob.Sum(data)
	if data == nil {
		data = []byte{}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO blobs (sha256, size, data) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`, sha, len(data), data)
	if err != nil {
		return "", err
	}
	return sha, nil
}

// Open implements vigil.BlobStore.
func (s *BlobStore) Open(ctx context.Context, sha string) (io.ReadCloser, error) {
	sha = strings.ToLower(sha)
	if !blob.ValidSHA(sha) {
		return nil, vigil.FieldErrorf(vigil.EINVALID, "sha256", "want 64 hex digits")
	}
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM blobs WHERE sha256 = $1`, sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "blob %s not found", sha)
	}
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// Has implements vigil.BlobStore.
func (s *BlobStore) Has(ctx context.Context, sha string) (bool, error) {
	sha = strings.ToLower(sha)
	if !blob.ValidSHA(sha) {
		return false, nil
	}
	var ok bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = $1)`, sha).Scan(&ok)
	return ok, err
}

// Verify implements vigil.BlobStore: it reads every blob back, one row at a
// time, re-hashes its bytes here (not in the database) and reports each
// whose bytes do not match its name or its recorded size.
func (s *BlobStore) Verify(ctx context.Context) ([]vigil.Problem, error) {
	var problems []vigil.Problem
	// Keyset pages keep memory bounded and no transaction open for long.
	after := ""
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT sha256, size, data FROM blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT 64`, after)
		if err != nil {
			return nil, err
		}
		n := 0
		for rows.Next() {
			var sha string
			var size int64
			var data []byte
			if err := rows.Scan(&sha, &size, &data); err != nil {
				rows.Close()
				return nil, err
			}
			n++
			after = sha
			if !blob.ValidSHA(sha) {
				problems = append(problems, vigil.Problem{Where: "blob row " + sha, Message: "stray row in the blob table: its name is not a SHA-256"})
				continue
			}
			if got := blob.Sum(data); got != sha {
				problems = append(problems, vigil.Problem{Where: "blob " + sha, Message: "bytes hash to " + got + ": the blob was altered"})
			} else if int64(len(data)) != size {
				problems = append(problems, vigil.Problem{Where: "blob " + sha, Message: "recorded size does not match the bytes"})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if n == 0 {
			return problems, nil
		}
	}
}

// Count returns the number of blobs stored.
func (s *BlobStore) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM blobs`).Scan(&n)
	return n, err
}
