package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	vigil "github.com/vigil-rec/vigil"
)

var (
	_ vigil.ClaimService = (*Store)(nil)
	_ vigil.PlaceService = (*Store)(nil)
)

// ReplaceClaims implements vigil.ClaimService. Each claim is inserted, then
// its body written with the id the insert drew, so that the stored body
// carries it.
func (s *Store) ReplaceClaims(ctx context.Context, documentID int64, claims []*vigil.Claim) error {
	tx, err := s.begin(ctx)
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
	now := s.Now()
	for i, c := range claims {
		c.DocumentID = documentID
		c.Index = i
		if c.CreatedAt.IsZero() {
			c.CreatedAt = now
		}
		c.ID = 0
		if err := tx.QueryRowContext(ctx, `INSERT INTO claims (document_id, idx, event_type, incident_id, body, created_at) VALUES (?, ?, ?, ?, '{}', ?) RETURNING id`,
			documentID, i, string(c.EventType.Value), c.IncidentID, s.d.Time(c.CreatedAt)).Scan(&c.ID); err != nil {
			return err
		}
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE claims SET body = ? WHERE id = ?`, string(body), c.ID); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func scanClaim(sc Scanner) (*vigil.Claim, error) {
	var body string
	var id int64
	if err := sc.Scan(&id, &body); err != nil {
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
func (s *Store) FindClaimByID(ctx context.Context, id int64) (*vigil.Claim, error) {
	c, err := scanClaim(s.q().QueryRowContext(ctx, `SELECT id, body FROM claims WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	}
	return c, err
}

// FindClaims implements vigil.ClaimService.
func (s *Store) FindClaims(ctx context.Context, f vigil.ClaimFilter) ([]*vigil.Claim, int, error) {
	var c Conds
	if f.DocumentID != 0 {
		c.Add(`document_id = ?`, f.DocumentID)
	}
	if f.EventType != "" {
		c.Add(`event_type = ?`, string(f.EventType))
	}
	if f.IncidentID != 0 {
		c.Add(`incident_id = ?`, f.IncidentID)
	}
	return FindPage(ctx, s, `id, body`, `claims`, c, `document_id, idx`, f.Limit, f.Offset, scanClaim)
}

// UpsertPlaces implements vigil.PlaceService.
func (s *Store) UpsertPlaces(ctx context.Context, places []*vigil.Place) error {
	for i, p := range places {
		if p.ID == "" {
			return vigil.FieldErrorf(vigil.EINVALID, "places["+strconv.Itoa(i)+"].id", "a place needs an id")
		}
	}
	tx, err := s.begin(ctx)
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
func (s *Store) FindPlaces(ctx context.Context, f vigil.PlaceFilter) ([]*vigil.Place, int, error) {
	var c Conds
	if f.PCode != "" {
		c.Add(`pcode = ?`, f.PCode)
	}
	return FindPage(ctx, s, `body`, `places`, c, `id`, f.Limit, f.Offset, func(sc Scanner) (*vigil.Place, error) {
		var body string
		if err := sc.Scan(&body); err != nil {
			return nil, err
		}
		var p vigil.Place
		return &p, json.Unmarshal([]byte(body), &p)
	})
}
