// Package postgres implements vigil's storage interfaces on PostgreSQL
// (14 or newer) through pgx, so that several server and worker processes on
// several machines can share one store. It passes the same conformance
// suite (storetest) as the embedded SQLite backend.
//
// The connection is a database/sql pool over pgx's stdlib driver, so that
// the queries both backends share (internal/sqlstore, written with ?
// placeholders, rebound here to $n) run on it as on SQLite; pgx's native
// connection is still at hand through (*sql.Conn).Raw where COPY or LISTEN
// is wanted. See docs/postgres.md.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	vigil "github.com/vigil-rec/vigil"
	"github.com/vigil-rec/vigil/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// store is the shared SQL layer (internal/sqlstore), embedded unexported:
// its methods are DB's methods.
type store = sqlstore.Store

// DB is a vigil store in one PostgreSQL database (and schema: the URL's
// search_path parameter selects one). Its queries are package sqlstore's,
// with this package's dialect; what is PostgreSQL's own (connecting,
// migrations under an advisory lock, the chain lock, the job queue, blobs)
// is here.
type DB struct {
	*store
	URL string
}

var _ vigil.Store = (*DB)(nil)

// IsURL reports whether s names a PostgreSQL database (postgres:// or
// postgresql://).
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database at url (postgres://user@host:port/db?...;
// search_path=SCHEMA selects a schema) and applies pending migrations, each
// in its own transaction, under an advisory lock so that processes starting
// together migrate once.
func Open(ctx context.Context, url string) (*DB, error) {
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(url), err)
	}
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(10)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	d := &DB{store: sqlstore.New(sqldb, dialect{}, now, false), URL: url}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(url), err)
	}
	if err := d.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("migrate %s: %w", Redact(url), err)
	}
	return d, nil
}

// now is the default clock: UTC, truncated to PostgreSQL's microseconds so
// that a time read back equals the time written.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Redact returns url without its password, for messages.
func Redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return url
	}
	userinfo := url[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return url[:scheme+3] + userinfo[:i] + ":xxxxx" + url[at:]
	}
	return url
}

var rebound sync.Map // query text -> rebound text

// rebind replaces each ? outside quoted strings and identifiers by $n.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	if len(q) < 4096 {
		rebound.Store(q, out)
	}
	return out
}

// q returns the handle queries run on: the transaction inside Atomic, else
// the pool.
func (d *DB) q() sqlstore.Querier { return sqlstore.Q(d.store) }

// Atomic runs fn on a store whose every change is part of one transaction:
// all of them are committed when fn returns nil, none otherwise.
func (d *DB) Atomic(ctx context.Context, fn func(vigil.Store) error) error {
	return sqlstore.Atomic(ctx, d.store, fn, func(s *sqlstore.Store) vigil.Store { return &DB{store: s, URL: d.URL} })
}

func (d *DB) migrate(ctx context.Context) error {
	c, err := d.SQL().Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	// One migrator per schema at a time.
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext('vigil-migrate:' || current_schema()))`); err != nil {
		return err
	}
	defer c.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext('vigil-migrate:' || current_schema()))`)
	if _, err := c.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, c, dialect{}, migrationFS, d.Now)
}
