package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	vigil "github.com/vigil-rec/vigil"
)

// ReplaceClaims implements vigil.ClaimService.
func (d *DB) ReplaceClaims(ctx context.Context, documentID int64, claims []*vigil.Claim) error {
	tx, err := d.db.BeginTx(ctx, nil)
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
		c.ID = 0
		res, err := tx.ExecContext(ctx, `INSERT INTO claims (document_id, idx, event_type, incident_id, body, created_at) VALUES (?, ?, ?, ?, '{}', ?)`,
			documentID, i, string(c.EventType.Value), c.IncidentID, fmtTime(c.CreatedAt))
		if err != nil {
			return err
		}
		if c.ID, err = res.LastInsertId(); err != nil {
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
	c, err := scanClaim(d.db.QueryRowContext(ctx, `SELECT id, body FROM claims WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, vigil.Errorf(vigil.ENOTFOUND, "claim not found")
	}
	return c, err
}

// FindClaims implements vigil.ClaimService.
func (d *DB) FindClaims(ctx context.Context, f vigil.ClaimFilter) ([]*vigil.Claim, int, error) {
	var where []string
	var args []any
	if f.DocumentID != 0 {
		where, args = append(where, `document_id = ?`), append(args, f.DocumentID)
	}
	if f.EventType != "" {
		where, args = append(where, `event_type = ?`), append(args, string(f.EventType))
	}
	if f.IncidentID != 0 {
		where, args = append(where, `incident_id = ?`), append(args, f.IncidentID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM claims`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page(f.Limit, f.Offset)
	rows, err := d.db.QueryContext(ctx, `SELECT id, body FROM claims`+cond+` ORDER BY document_id, idx LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*vigil.Claim{}
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
