package sqlite

import (
	"context"
	"encoding/json"

	vigil "github.com/vigil-rec/vigil"
)

// UpsertPlaces implements vigil.PlaceService.
func (d *DB) UpsertPlaces(ctx context.Context, places []*vigil.Place) error {
	for i, p := range places {
		if p.ID == "" {
			return vigil.FieldErrorf(vigil.EINVALID, "places["+itoa(i)+"].id", "a place needs an id")
		}
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO places (id, pcode, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET pcode = excluded.pcode, body = excluded.body`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, p := range places {
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, p.ID, p.PCode, string(body)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// FindPlaces implements vigil.PlaceService.
func (d *DB) FindPlaces(ctx context.Context, f vigil.PlaceFilter) ([]*vigil.Place, int, error) {
	cond, args := "", []any{}
	if f.PCode != "" {
		cond, args = ` WHERE pcode = ?`, append(args, f.PCode)
	}
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM places`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := d.db.QueryContext(ctx, `SELECT body FROM places`+cond+` ORDER BY id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*vigil.Place{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, 0, err
		}
		var p vigil.Place
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return nil, 0, err
		}
		out = append(out, &p)
	}
	return out, total, rows.Err()
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
