package sqlite

import (
	"context"
	"fmt"
	"os"

	"github.com/vigil-rec/vigil/internal/sqlstore"
)

// SnapshotTo writes a consistent copy of the database to path (which must
// not exist) with VACUUM INTO: one read transaction, so writers carry on
// and the copy holds exactly the transactions committed when it began.
func (d *DB) SnapshotTo(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("snapshot: %s already exists", path)
	}
	_, err := d.q().ExecContext(ctx, `VACUUM INTO ?`, path)
	return err
}

// TableCounts returns the number of rows of every table (virtual tables
// and their shadow tables excluded), for backup manifests.
func (d *DB) TableCounts(ctx context.Context) (map[string]int64, error) {
	tables, err := sqlstore.Tables(ctx, d.store)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := d.q().QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %q`, t)).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// BlobHashes returns the SHA-256 of every stored document's bytes, sorted.
func (d *DB) BlobHashes(ctx context.Context) ([]string, error) {
	return sqlstore.Strings(ctx, d.q(), `SELECT DISTINCT sha256 FROM documents ORDER BY sha256`)
}
