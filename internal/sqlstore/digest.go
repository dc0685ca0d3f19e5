package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
)

// Strings runs a query of one text column and returns its values in order.
func Strings(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
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

// Tables returns the names of the tables that hold the store's rows (the
// dialect's Tables), sorted.
func Tables(ctx context.Context, s *Store) ([]string, error) {
	tables, err := Strings(ctx, s.q(), s.d.Tables())
	if err != nil {
		return nil, err
	}
	sort.Strings(tables)
	return tables, nil
}

// Migrations returns the names of the applied migrations, in order.
func (s *Store) Migrations(ctx context.Context) ([]string, error) {
	return Strings(ctx, s.q(), `SELECT name FROM migrations ORDER BY name`)
}

// Digest returns a SHA-256 over the contents of every table, in a fixed
// order, so that a test can show that a failed operation left the store
// exactly as it was.
func (s *Store) Digest(ctx context.Context) (string, error) {
	tables, err := Tables(ctx, s)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range tables {
		fmt.Fprintf(h, "table %q\n", t)
		r, err := s.q().QueryContext(ctx, fmt.Sprintf(`SELECT * FROM %q ORDER BY 1`, t))
		if err != nil {
			return "", err
		}
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for r.Next() {
			if err := r.Scan(ptrs...); err != nil {
				r.Close()
				return "", err
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v|", v, v)
			}
			h.Write([]byte{'\n'})
		}
		r.Close()
		if err := r.Err(); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
