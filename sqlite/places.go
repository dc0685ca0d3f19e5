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
	tx, err := d.begin(ctx)
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
	var c conds
	if f.PCode != "" {
		c.add(`pcode = ?`, f.PCode)
	}
	return findPage(ctx, d, `body`, `places`, c, `id`, f.Limit, f.Offset, func(s scanner) (*vigil.Place, error) {
		var body string
		if err := s.Scan(&body); err != nil {
			return nil, err
		}
		var p vigil.Place
		return &p, json.Unmarshal([]byte(body), &p)
	})
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
