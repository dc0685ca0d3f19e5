package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	vigil "github.com/vigil-rec/vigil"
)

// ReplaceClaims implements vigil.ClaimService.
func (d *DB) ReplaceClaims(ctx context.Context, documentID int64, claims []*vigil.Claim) error {
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findDocument(ctx, tx, `id = ?`, documentID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM claims WHERE document_id = ?`, documentID); err != nil {
		return err
	}
	now := d.Now()
	for i, c := range claims {
		c.DocumentID = documentID
		c.Index = i
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		// the id is taken first so that the stored body carries it
		if err := tx.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('claims', 'id'))`).Scan(&c.ID); err != nil {
			return err
		}
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO claims (id, document_id, idx, event_type, incident_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.ID, documentID, i, string(c.EventType.Value), c.IncidentID, string(body), c.CreatedAt.UTC()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func scanClaim(s scanner) (*vigil.Claim, error) {
	var body string
	var id int64
	if err := s.Scan(&id, &body); err != nil {
		return nil, err
	}
	var c vigil.Claim
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return nil, err
	}
	c.ID = id
	return &c, nil
}

// FindClaimByID implements vigil.ClaimService.
func (d *DB) FindClaimByID(ctx context.Context, id int64) (*vigil.Claim, error) {
	c, err := scanClaim(d.q().QueryRowContext(ctx, `SELECT id, body FROM claims WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	}
	return c, err
}

// FindClaims implements vigil.ClaimService.
func (d *DB) FindClaims(ctx context.Context, f vigil.ClaimFilter) ([]*vigil.Claim, int, error) {
	var c conds
	if f.DocumentID != 0 {
		c.add(`document_id = ?`, f.DocumentID)
	}
	if f.EventType != "" {
		c.add(`event_type = ?`, string(f.EventType))
	}
	if f.IncidentID != 0 {
		c.add(`incident_id = ?`, f.IncidentID)
	}
	return findPage(ctx, d, `id, body`, `claims`, c, `document_id, idx`, f.Limit, f.Offset, scanClaim)
}

// UpsertPlaces implements vigil.PlaceService.
func (d *DB) UpsertPlaces(ctx context.Context, places []*vigil.Place) error {
	for i, p := range places {
		if p.ID == "" {
			return vigil.FieldErrorf(vigil.EINVALID, "places["+strconv.Itoa(i)+"].id", "a place needs an id")
		}
	}
	tx, err := d.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range places {
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO places (id, pcode, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET pcode = excluded.pcode, body = excluded.body`,
			p.ID, p.PCode, string(body)); err != nil {
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
