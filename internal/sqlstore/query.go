package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	vigil "github.com/vigil-rec/vigil"
)

// Scanner is a *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// Conds collects the WHERE conditions of a filtered query and their
// arguments.
type Conds struct {
	where []string
	args  []any
}

// Add adds a condition and its arguments.
func (c *Conds) Add(cond string, args ...any) {
	c.where = append(c.where, cond)
	c.args = append(c.args, args...)
}

// SQL is the WHERE clause (empty for no conditions).
func (c *Conds) SQL() string {
	if len(c.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.where, " AND ")
}

// Args are the conditions' arguments, in order.
func (c *Conds) Args() []any { return c.args }

// Page bounds a page: the default size for limit <= 0, at most the
// largest page, no negative offset.
func Page(limit, offset int) (int, int) {
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

// FindPage counts the rows of from matching c and returns one page of them,
// selected as cols, in order, each read by scan.
func FindPage[T any](ctx context.Context, s *Store, cols, from string, c Conds, order string, limit, offset int, scan func(Scanner) (T, error)) ([]T, int, error) {
	var total int
	if err := s.q().QueryRowContext(ctx, `SELECT count(*) FROM `+from+c.SQL(), c.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset = Page(limit, offset)
	out, err := All(ctx, s.q(), scan, `SELECT `+cols+` FROM `+from+c.SQL()+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(c.args, limit, offset)...)
	return out, total, err
}

// TimeText is RFC 3339 text with nanoseconds, in UTC: the exact form of a
// time that enters a hash (custody and audit entries, stored so by every
// backend) and the form of every time column in SQLite.
func TimeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Time is a scan destination for a time column, whichever way the backend
// stores it: RFC 3339 text (the empty string for none) or a timestamp (NULL for none).
// The time read is in UTC; text that is not RFC 3339 reads as the zero
// time.
func Time(t *time.Time) any { return timeDest{t} }

type timeDest struct{ t *time.Time }

func (d timeDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
	case time.Time:
		*d.t = x.UTC()
	case string:
		*d.t = parseTime(x)
	case []byte:
		*d.t = parseTime(string(x))
	default:
		return fmt.Errorf("sqlstore: a time column holds %T", v)
	}
	return nil
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t.UTC()
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// LikePrefix is the LIKE pattern (escape \) of the values that begin with s.
func LikePrefix(s string) string { return likeEscaper.Replace(s) + "%" }

// LikeContains is the LIKE pattern (escape \) of the values that contain s.
func LikeContains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// All runs query on q and reads every row with scan (an empty slice, not
// nil, for no rows).
func All[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
