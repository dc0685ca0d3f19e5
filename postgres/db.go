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
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
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

// begin starts a transaction, or joins the one Atomic holds.
func (d *DB) begin(ctx context.Context) (*sqlstore.Txn, error) { return sqlstore.Begin(ctx, d.store) }

// Atomic runs fn on a store whose every change is part of one transaction:
// all of them are committed when fn returns nil, none otherwise.
func (d *DB) Atomic(ctx context.Context, fn func(vigil.Store) error) error {
	return sqlstore.Atomic(ctx, d.store, func(s *sqlstore.Store) error {
		if s == d.store {
			return fn(d)
		}
		return fn(&DB{store: s, URL: d.URL})
	})
}

// lockChains takes the row lock that every append to a hash chain holds
// until its transaction ends; see 0001_documents.sql.
func lockChains(ctx context.Context, tx sqlstore.Querier) error {
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT id FROM chain_lock WHERE id = 1 FOR UPDATE`).Scan(&one); err != nil {
		return fmt.Errorf("lock hash chains: %w", err)
	}
	return nil
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
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := d.migrateOne(ctx, c, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func (d *DB) migrateOne(ctx context.Context, c *sql.Conn, name string) error {
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM migrations WHERE name = $1`, name).Scan(&n); err != nil {
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
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES ($1, $2)`, name, d.Now()); err != nil {
		return err
	}
	return tx.Commit()
}

// fmtTime is the exact text form of a hashed time (custody and audit).
func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// nullTime is nil for the zero time, else t in UTC.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func fromNull(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
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

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

type scanner = sqlstore.Scanner

// conds collects the WHERE conditions of a filtered query and their arguments.
type conds struct {
	where []string
	args  []any
}

func (c *conds) add(cond string, args ...any) {
	c.where = append(c.where, cond)
	c.args = append(c.args, args...)
}

func (c *conds) sql() string {
	if len(c.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.where, " AND ")
}

// findPage counts the rows of from matching c and returns one page of them,
// selected as cols, in order, each read by scan.
func findPage[T any](ctx context.Context, d *DB, cols, from string, c conds, order string, limit, offset int, scan func(scanner) (T, error)) ([]T, int, error) {
	var total int
	if err := d.q().QueryRowContext(ctx, `SELECT count(*) FROM `+from+c.sql(), c.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset = page(limit, offset)
	rows, err := d.q().QueryContext(ctx, `SELECT `+cols+` FROM `+from+c.sql()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(c.args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// textQuery returns the SQL condition (on a documents table aliased as
// alias) that a document matches every word of q, and its arguments. A word
// matches through the English configuration (stemmed) or through the simple
// configuration over Arabic-normalised text; each word is parsed by
// plainto_tsquery, so user input can never be tsquery syntax. ok is false
// when q has no words.
func textQuery(alias, q string) (cond string, args []any, ok bool) {
	var parts []string
	for _, w := range strings.Fields(q) {
		parts = append(parts, `(`+alias+`.fts_en @@ plainto_tsquery('english', ?) OR `+alias+`.fts_simple @@ plainto_tsquery('simple', vigil_normalize(?)))`)
		args = append(args, w, w)
	}
	if len(parts) == 0 {
		return "", nil, false
	}
	return strings.Join(parts, " AND "), args, true
}

func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}
