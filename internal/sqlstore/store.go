// Package sqlstore is the storage code that vigil's two SQL backends,
// package sqlite (modernc.org/sqlite) and package postgres (pgx through
// database/sql), share: every query and every piece of logic that is the
// same on both lives here once, written with ? placeholders, and runs over
// database/sql. What differs between the two databases is asked of a
// Dialect (placeholders, how times are stored, case-insensitive matching,
// full-text search, the hash-chain lock, error classification), and what is
// really one backend's own (opening, pragmas and pool, migrations, the FTS
// index's upkeep, backups, the job queue, blobs in the database) stays in
// that backend's package. See docs/architecture.md.
//
// A backend embeds *Store in its DB type, so Store's exported methods
// (vigil.Store but Atomic, and Close, SQL, Migrations, Digest) are the
// backend's methods; the functions Q, Begin and Atomic give the backend the
// same handles the shared code uses without adding them to its method set.
package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Dialect is what differs between the SQL databases vigil runs on. Shared
// queries are written for both; a Dialect supplies the few fragments and
// values that cannot be.
type Dialect interface {
	// Rebind turns a query written with ? placeholders into the driver's
	// form (PostgreSQL's $1, $2, ...).
	Rebind(query string) string
	// Time is the value stored for a time column (RFC 3339 text in SQLite,
	// a timestamptz in PostgreSQL). OptTime is that of an optional time,
	// where the zero time means none ('' in SQLite, NULL in PostgreSQL),
	// and NoTime(col) is the condition that col holds none.
	Time(t time.Time) any
	OptTime(t time.Time) any
	NoTime(col string) string
	// EqualFold(col) is the condition that col equals the one argument in
	// any case; LikeFold(col) that col matches the one LIKE pattern (with \
	// as escape) in any case.
	EqualFold(col string) string
	LikeFold(col string) string
	// IsUnique reports whether err is a unique or primary key violation,
	// IsForeignKey whether it is a foreign key violation.
	IsUnique(err error) bool
	IsForeignKey(err error) bool
	// CheckText returns an error of kind invalid when s (the value of
	// field) cannot be stored as text (PostgreSQL text holds no NUL).
	CheckText(field, s string) error
	// TextMatch returns the condition that the document aliased alias
	// matches every word of q, and its arguments; ok is false when q has no
	// words. User input must never become full-text query syntax.
	TextMatch(alias, q string) (cond string, args []any, ok bool)
	// IndexDocument adds a document just stored to the full-text index (a
	// no-op where the index is kept by the database itself).
	IndexDocument(ctx context.Context, q Querier, id int64, title, text string) error
	// LockChains takes, in the transaction q, the lock that every append to
	// a hash chain holds until the transaction ends (a no-op where write
	// transactions are serialised anyway).
	LockChains(ctx context.Context, q Querier) error
	// Tables is a query of one column, the name of every table that holds
	// the store's rows (not those of an index), for Digest.
	Tables() string
}

// Querier is what queries run on: the database or a transaction, with
// queries written with ? placeholders.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// Store is a vigil store over database/sql. The zero value is not usable:
// make one with New.
type Store struct {
	// Now is the clock (UTC) for the times the store fills in.
	Now func() time.Time
	db  *sql.DB
	tx  *sql.Tx // set inside Atomic
	d   Dialect
	// wmu, when set, serialises this process's write transactions (SQLite:
	// writers queue in Go instead of failing on the busy timeout).
	wmu *sync.Mutex
}

// New returns a store on db speaking d. serialiseWrites makes write
// transactions wait for each other in this process.
func New(db *sql.DB, d Dialect, now func() time.Time, serialiseWrites bool) *Store {
	s := &Store{db: db, d: d, Now: now}
	if serialiseWrites {
		s.wmu = &sync.Mutex{}
	}
	return s
}

// Close closes the database (a no-op on the store Atomic passes to its
// function).
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	return s.db.Close()
}

// SQL exposes the underlying handle for tests and maintenance commands.
func (s *Store) SQL() *sql.DB { return s.db }

// rawQuerier is what both *sql.DB and *sql.Tx provide.
type rawQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// conn runs queries written with ? on a database or transaction, rebound
// by the dialect.
type conn struct {
	q rawQuerier
	d Dialect
}

func (c conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.Rebind(q), args...)
}

func (c conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.Rebind(q), args...)
}

func (c conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.Rebind(q), args...)
}

func (c conn) PrepareContext(ctx context.Context, q string) (*sql.Stmt, error) {
	return c.q.PrepareContext(ctx, c.d.Rebind(q))
}

// q returns the handle queries run on: the transaction inside Atomic, else
// the database.
func (s *Store) q() Querier {
	if s.tx != nil {
		return conn{s.tx, s.d}
	}
	return conn{s.db, s.d}
}

// Q returns the handle s's queries run on (the transaction inside Atomic,
// else the database), for a backend's own queries.
func Q(s *Store) Querier { return s.q() }

// Txn is a write transaction, or, inside Atomic, the enclosing one (whose
// owner commits or rolls back).
type Txn struct {
	Querier
	tx     *sql.Tx // nil when nested
	unlock func()  // releases the write lock; nil once released
}

func (t *Txn) release() {
	if t.unlock != nil {
		t.unlock()
		t.unlock = nil
	}
}

// Commit commits the transaction (nothing when nested).
func (t *Txn) Commit() error {
	if t.tx == nil {
		return nil
	}
	defer t.release()
	return t.tx.Commit()
}

// Rollback rolls the transaction back (nothing when nested, or once
// committed).
func (t *Txn) Rollback() error {
	if t.tx == nil {
		return nil
	}
	defer t.release()
	return t.tx.Rollback()
}

// begin starts a write transaction (or joins the one Atomic holds), holding
// the process's write lock, if any, until it commits or rolls back.
func (s *Store) begin(ctx context.Context) (*Txn, error) {
	if s.tx != nil {
		return &Txn{Querier: conn{s.tx, s.d}}, nil
	}
	unlock := func() {}
	if s.wmu != nil {
		s.wmu.Lock()
		unlock = s.wmu.Unlock
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		unlock()
		return nil, err
	}
	return &Txn{Querier: conn{tx, s.d}, tx: tx, unlock: unlock}, nil
}

// Begin starts a write transaction on s, for a backend's own writes.
func Begin(ctx context.Context, s *Store) (*Txn, error) { return s.begin(ctx) }

// Atomic runs fn on a store whose every change is part of one transaction:
// all of them are committed when fn returns nil, none otherwise. wrap makes
// the backend's own store (its DB type) around the Store of the
// transaction; inside Atomic already, fn runs in the enclosing transaction.
func Atomic(ctx context.Context, s *Store, fn func(vigil.Store) error, wrap func(*Store) vigil.Store) error {
	if s.tx != nil {
		return fn(wrap(s))
	}
	t, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer t.Rollback()
	inner := *s
	inner.tx = t.tx
	if err := fn(wrap(&inner)); err != nil {
		return err
	}
	return t.Commit()
}

// InTx reports whether s is the store Atomic passes to its function.
func InTx(s *Store) bool { return s.tx != nil }

// constraint classifies a failed write by the dialect: a unique violation
// becomes an error of kind conflict (message conflict), a foreign key
// violation one of kind invalid (message missing: the row refers to one
// that does not exist), both naming field; any other error is returned as
// it is. The database's own message is not kept, so that it never reaches
// a client.
func (s *Store) constraint(err error, field, conflict, missing string) error {
	switch {
	case err == nil:
		return nil
	case s.d.IsUnique(err):
		return vigil.FieldErrorf(vigil.ECONFLICT, field, "%s", conflict)
	case s.d.IsForeignKey(err):
		return vigil.FieldErrorf(vigil.EINVALID, field, "%s", missing)
	}
	return err
}
