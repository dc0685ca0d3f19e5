// Package sqlite implements vigil's storage interfaces on an embedded SQLite
// database (modernc.org/sqlite, pure Go) in WAL mode with foreign keys on.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/names"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is a vigil store on one SQLite file.
type DB struct {
	db   *sql.DB
	tx   *sql.Tx // set inside Atomic
	Path string
	Now  func() time.Time
	// wmu serialises this process's write transactions, so that concurrent
	// writers queue in Go instead of failing on SQLite's busy timeout.
	wmu *sync.Mutex
}

// q returns the handle queries run on: the transaction inside Atomic, else
// the database.
func (d *DB) q() querier {
	if d.tx != nil {
		return d.tx
	}
	return d.db
}

// txn is a transaction, or, inside Atomic, the enclosing one (whose owner
// commits or rolls back).
type txn struct {
	querier
	tx     *sql.Tx // nil when nested
	unlock func()  // releases the write lock; nil once released
}

func (t *txn) release() {
	if t.unlock != nil {
		t.unlock()
		t.unlock = nil
	}
}

func (t *txn) Commit() error {
	if t.tx == nil {
		return nil
	}
	defer t.release()
	return t.tx.Commit()
}

func (t *txn) Rollback() error {
	if t.tx == nil {
		return nil
	}
	defer t.release()
	return t.tx.Rollback()
}

// begin starts a write transaction (or joins the one Atomic holds), holding
// the process's write lock until it commits or rolls back.
func (d *DB) begin(ctx context.Context) (*txn, error) {
	if d.tx != nil {
		return &txn{querier: d.tx}, nil
	}
	d.wmu.Lock()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		d.wmu.Unlock()
		return nil, err
	}
	return &txn{querier: tx, tx: tx, unlock: d.wmu.Unlock}, nil
}

// Atomic runs fn on a store whose every change is part of one transaction:
// all of them are committed when fn returns nil, none otherwise.
func (d *DB) Atomic(ctx context.Context, fn func(vigil.Store) error) error {
	if d.tx != nil {
		return fn(d)
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	inner := &DB{db: d.db, tx: tx.tx, Path: d.Path, Now: d.Now, wmu: d.wmu}
	if err := fn(inner); err != nil {
		return err
	}
	return tx.Commit()
}

var _ vigil.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and applies pending
// migrations, each in its own transaction.
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	d := &DB{db: sqldb, Path: path, Now: func() time.Time { return time.Now().UTC() }, wmu: &sync.Mutex{}}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := d.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := d.reindex(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("full-text index of %s: %w", path, err)
	}
	return d, nil
}

// Close closes the database (a no-op on the store Atomic passes to its function).
func (d *DB) Close() error {
	if d.tx != nil {
		return nil
	}
	return d.db.Close()
}

// SQL exposes the underlying handle for tests and maintenance commands.
func (d *DB) SQL() *sql.DB { return d.db }

func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := d.migrateOne(ctx, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func (d *DB) migrateOne(ctx context.Context, name string) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, d.Now().Format(time.RFC3339Nano)); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations returns the names of the applied migrations, in order.
func (d *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
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

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = vigil.DefaultPageSize
	}
	if limit > vigil.MaxPageSize {
		limit = vigil.MaxPageSize
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// ftsQuery turns free text into an FTS5 query of quoted terms joined by AND,
// so that user input can never be FTS5 syntax.
func ftsQuery(q string) string {
	var terms []string
	for _, w := range strings.Fields(searchText(q)) {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " ")
}

// searchText folds text for the full-text index and for queries alike, so
// that a word is found whatever its hamza or alef form, taa marbuta, alef
// maqsura, tatweel, diacritics, case or accents.
func searchText(s string) string { return names.NormalizeToken(s) }

// reindex rebuilds the full-text index from the documents when the two
// disagree (after the index changed form, or after rows were copied into
// the store by vigil migrate, which does not copy the index).
func (d *DB) reindex(ctx context.Context) error {
	var docs, indexed int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&docs); err != nil {
		return err
	}
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM documents_fts`).Scan(&indexed); err != nil {
		return err
	}
	if docs == indexed {
		return nil
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM documents_fts`); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, title, text FROM documents ORDER BY id`)
	if err != nil {
		return err
	}
	type row struct {
		id          int64
		title, text string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.title, &r.text); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)`, r.id, searchText(r.title), searchText(r.text)); err != nil {
			return err
		}
	}
	return tx.Commit()
}
