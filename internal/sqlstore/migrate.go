package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"time"
)

// Beginner starts transactions: a *sql.DB, or a *sql.Conn that holds a
// session lock.
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Migrate applies the migrations of fsys (migrations/*.sql, in name order)
// not yet recorded in the table migrations (name, applied_at), which must
// exist, each in its own transaction on b together with its record. The
// files are each backend's own; the runner is the same.
func Migrate(ctx context.Context, b Beginner, d Dialect, fsys fs.FS, now func() time.Time) error {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := migrateOne(ctx, b, d, fsys, name, now); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, b Beginner, d Dialect, fsys fs.FS, name string, now func() time.Time) error {
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q := conn{tx, d}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	// the file as written: not rebound
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, d.Time(now())); err != nil {
		return err
	}
	return tx.Commit()
}
