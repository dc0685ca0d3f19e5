package sqlite

import (
	"context"
	"fmt"
	"os"
	"sort"
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
	rows, err := d.q().QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, n)
	}
	rows.Close()
	sort.Strings(tables)
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
	rows, err := d.q().QueryContext(ctx, `SELECT DISTINCT sha256 FROM documents ORDER BY sha256`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
