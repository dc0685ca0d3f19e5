package sqlite

import (
	"context"
	"github.com/vigil-rec/vigil/internal/sqlstore"
	"strings"
)

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

type scanner = sqlstore.Scanner
