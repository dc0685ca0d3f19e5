package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-rec/vigil/internal/sqlstore"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is SQLite's sqlstore.Dialect: ? placeholders as written, times
// as RFC 3339 text (the empty string for none), ASCII case folding (COLLATE NOCASE,
// LIKE), FTS5 over the documents, no chain lock (write transactions are
// BEGIN IMMEDIATE and serialised).
type dialect struct{}

func (dialect) Rebind(q string) string { return q }

func (dialect) Time(t time.Time) any { return sqlstore.TimeText(t) }

func (dialect) OptTime(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return sqlstore.TimeText(t)
}

func (dialect) NoTime(col string) string { return col + ` = ''` }

func (dialect) EqualFold(col string) string { return col + ` = ? COLLATE NOCASE` }

// LikeFold: SQLite's LIKE already ignores the case of ASCII letters.
func (dialect) LikeFold(col string) string { return col + ` LIKE ? ESCAPE '\'` }

func sqliteCode(err error) int {
	var e *msqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func (dialect) IsUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (dialect) IsForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (dialect) CheckText(field, s string) error { return nil }

// TextMatch matches through the FTS5 table documents_fts, whose rowid is
// the document's id; the words are quoted, so never FTS5 syntax.
func (dialect) TextMatch(alias, q string) (string, []any, bool) {
	fq := ftsQuery(q)
	if fq == "" {
		return "", nil, false
	}
	return alias + `.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)`, []any{fq}, true
}

func (dialect) IndexDocument(ctx context.Context, q sqlstore.Querier, id int64, title, text string) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)`, id, searchText(title), searchText(text)); err != nil {
		return fmt.Errorf("index document: %w", err)
	}
	return nil
}

func (dialect) LockChains(ctx context.Context, q sqlstore.Querier) error { return nil }

func (dialect) Tables() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`
}

var _ sqlstore.Dialect = dialect{}

// ftsQuery turns free text into an FTS5 query of quoted terms joined by AND,
// so that user input can never be FTS5 syntax.
func ftsQuery(q string) string {
	var terms []string
	for _, w := range strings.Fields(searchText(q)) {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	return strings.Join(terms, " ")
}
