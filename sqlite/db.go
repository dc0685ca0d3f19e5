// Package sqlite implements vigil's storage interfaces on an embedded SQLite
// database (modernc.org/sqlite, pure Go) in WAL mode with foreign keys on.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"
	"time"

	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/internal/sqlstore"
	"github.com/vigil-rec/vigil/names"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// store is the shared SQL layer (internal/sqlstore), embedded unexported:
// its methods are DB's methods.
type store = sqlstore.Store

// DB is a vigil store on one SQLite file. Its queries are package
// sqlstore's, with this package's dialect; what is SQLite's own (opening,
// pragmas, migrations, the FTS5 index, snapshots) is here.
type DB struct {
	*store
	Path string
}

// q returns the handle queries run on: the transaction inside Atomic, else
// the database.
func (d *DB) q() sqlstore.Querier { return sqlstore.Q(d.store) }

// begin starts a write transaction (or joins the one Atomic holds), holding
// the process's write lock until it commits or rolls back.
func (d *DB) begin(ctx context.Context) (*sqlstore.Txn, error) { return sqlstore.Begin(ctx, d.store) }

// Atomic runs fn on a store whose every change is part of one transaction:
// all of them are committed when fn returns nil, none otherwise.
func (d *DB) Atomic(ctx context.Context, fn func(vigil.Store) error) error {
	return sqlstore.Atomic(ctx, d.store, fn, func(s *sqlstore.Store) vigil.Store { return &DB{store: s, Path: d.Path} })
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
	// Write transactions are serialised in this process, so that
	// concurrent writers queue in Go instead of failing on the busy timeout.
	d := &DB{store: sqlstore.New(sqldb, dialect{}, func() time.Time { return time.Now().UTC() }, true), Path: path}
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

// migrate applies the pending migrations (sqlite/migrations), each in its
// own transaction.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.SQL().ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, d.SQL(), dialect{}, migrationFS, d.Now)
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
	if err := d.SQL().QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&docs); err != nil {
		return err
	}
	if err := d.SQL().QueryRowContext(ctx, `SELECT count(*) FROM documents_fts`).Scan(&indexed); err != nil {
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
	type row struct {
		id          int64
		title, text string
	}
	all, err := sqlstore.All(ctx, tx, func(sc sqlstore.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.title, &r.text)
		return r, err
	}, `SELECT id, title, text FROM documents ORDER BY id`)
	if err != nil {
		return err
	}
	for _, r := range all {
		if err := (dialect{}).IndexDocument(ctx, tx, r.id, r.title, r.text); err != nil {
			return err
		}
	}
	return tx.Commit()
}
